/**
 * Entry point of widget-uploads.js, the code a visitor downloads only when they first attach a
 * file. It hands its factory to the app (see ../chunks.ts), so it adds no global to the host page.
 */
import { handOver } from "../chunks.js";
import { createUploads } from "./tray.js";

handOver(createUploads);
