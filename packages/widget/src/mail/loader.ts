/**
 * Loads the mail chunk on a site that sends email once there are messages, or when the page was
 * opened from a reply email's link (see contract.ts).
 */
import { lazyChunk } from "../chunks.js";
import type { MailChunk } from "./contract.js";

/** The chunk's content hash, set by build.mjs. */
declare const __MAIL_VERSION__: string;

export const loadMail = lazyChunk<MailChunk>("widget-mail.js", __MAIL_VERSION__);
