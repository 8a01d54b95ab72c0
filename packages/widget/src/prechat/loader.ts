/**
 * Loads the pre-chat chunk when it is first needed: a site's pre-chat form on a first send, or
 * the name ask after a first message. Visitors who never see either never download it.
 */
import { lazyChunk } from "../chunks.js";
import type { PrechatChunk } from "./contract.js";

/** The chunk's content hash, set by build.mjs. */
declare const __PRECHAT_VERSION__: string;

export const loadPrechat = lazyChunk<PrechatChunk>("widget-prechat.js", __PRECHAT_VERSION__);
