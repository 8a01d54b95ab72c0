/**
 * Entry point of widget-mail.js (see contract.ts). It hands what it exports to the app
 * (../chunks.ts), so it adds no global to the host page.
 */
import { handOver } from "../chunks.js";
import { ask } from "./ask.js";
import type { MailChunk } from "./contract.js";
import { resume } from "./resume.js";

const chunk: MailChunk = { ask, resume };
handOver(chunk);
