/**
 * Loads the uploads chunk the first time a visitor attaches a file, so the code that uploads
 * (and its error texts) weighs nothing on pages where nobody does. It comes from the same
 * server as widget.js, at a URL versioned by its content (see ../chunks.ts).
 */
import { lazyChunk } from "../chunks.js";
import type { UploadsFactory } from "./contract.js";

/** The chunk's content hash, set by build.mjs. */
declare const __UPLOADS_VERSION__: string;

export const loadUploads = lazyChunk<UploadsFactory>("widget-uploads.js", __UPLOADS_VERSION__);
