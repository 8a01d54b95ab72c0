/** Loads the expect chunk when the site is closed or a first message is sent (see contract.ts). */
import { lazyChunk } from "../chunks.js";
import type { ExpectChunk } from "./contract.js";

/** The chunk's content hash, set by build.mjs. */
declare const __EXPECT_VERSION__: string;

export const loadExpect = lazyChunk<ExpectChunk>("widget-expect.js", __EXPECT_VERSION__);
