/**
 * What the app and the pre-chat chunk (dist/widget-prechat.js, loaded on first use) agree on.
 * The chunk asks the visitor who they are: the pre-chat form before the first message, when the
 * site asks for it (protocol §12), and the soft name ask after it. Types only: nothing here adds
 * weight to either bundle.
 */
import type { PrechatSettings } from "@parley/protocol";
import type { Locale } from "../i18n.js";
import type { KeyValue } from "../storage.js";

export interface ContactContext {
  /** The Parley server; `POST /widget/contact` goes there. */
  origin: string;
  /** The visitor's token, whose contact the details fill in. */
  token: string;
  /** The site's key (§10); none: the default site. */
  site: string | undefined;
  locale: Locale;
  /** In the panel, above the text box: the chunk's forms go in it. */
  slot: HTMLElement;
  /** The site's part of the browser's storage (the mail chunk remembers an address was given). */
  storage: KeyValue;
}

/** Called once what was asked is saved (the name given, if any), or declined (null). */
export type Done = (name: string | null) => void;

export interface PrechatChunk {
  /** Shows the pre-chat form, or focuses it when it is already shown. */
  prechat(context: ContactContext, fields: PrechatSettings, name: string | null, done: Done): void;
  /** The soft ask for a name after the first message (once shown, not again). */
  askName(context: ContactContext, done: Done): void;
}
