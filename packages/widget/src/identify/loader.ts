/** Loads the identify chunk on a site's first `Parley.identify` call (see chunk.ts). */
import { lazyChunk } from "../chunks.js";
import type { identify } from "./post.js";

/** The chunk's content hash, set by build.mjs. */
declare const __IDENTIFY_VERSION__: string;

export const loadIdentify = lazyChunk<typeof identify>("widget-identify.js", __IDENTIFY_VERSION__);
