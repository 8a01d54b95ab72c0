/** Loads the rating chunk when a rating is asked for (see contract.ts). */
import { lazyChunk } from "../chunks.js";
import type { RatingChunk } from "./contract.js";

/** The chunk's content hash, set by build.mjs. */
declare const __RATING_VERSION__: string;

export const loadRating = lazyChunk<RatingChunk>("widget-rating.js", __RATING_VERSION__);
