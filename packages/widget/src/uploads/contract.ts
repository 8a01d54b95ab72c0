/**
 * What the app and the uploads chunk (dist/widget-uploads.js, loaded on first use) agree on.
 * Types only: nothing here adds weight to either bundle.
 */
import type { Attachment } from "@parley/protocol";
import type { Locale } from "../i18n.js";

export interface UploadContext {
  /** The Parley server; `POST /uploads` goes there. */
  origin: string;
  /** The visitor's token, sent as X-Visitor-Token. */
  token: string;
  /** The site's key (§10), sent as `?site=`; none: the default site. */
  site: string | undefined;
  locale: Locale;
  /** Inside the widget's shadow root, above the text box: progress bars and errors go here. */
  slot: HTMLElement;
  /** Some files are uploaded (at most MAX_ATTACHMENTS): send them as one message. */
  send(attachments: Attachment[]): void;
}

export interface Uploads {
  add(files: File[]): void;
}

export type UploadsFactory = (context: UploadContext) => Uploads;
