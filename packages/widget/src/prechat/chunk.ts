/**
 * Entry point of widget-prechat.js, the forms that ask who the visitor is. It hands them to the
 * app (see ../chunks.ts), so it adds no global to the host page.
 */
import { handOver } from "../chunks.js";
import type { PrechatChunk } from "./contract.js";
import { prechatForm } from "./form.js";
import { askName } from "./nameAsk.js";

const chunk: PrechatChunk = { prechat: prechatForm, askName };
handOver(chunk);
