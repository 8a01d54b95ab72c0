/**
 * What the app and the expect chunk (dist/widget-expect.js) agree on. The chunk says what a
 * visitor may expect: when a closed team is back ("Back Monday at 9:00", in the header) and, once
 * they have written, that their message arrived and when a reply is likely, that an agent is
 * typing, or when they may send again after sending too fast; and it makes the links in messages. The app fetches it when the site is
 * closed or when one of those first happens, so none of it weighs on what a visitor downloads
 * before writing to an open team. Types only.
 */
import type { Locale } from "../locale.js";

export interface ExpectChunk {
  /** "Back Monday at 9:00" (../back.ts), in the team's zone. */
  back(iso: string, zone: string | null | undefined, now: number, locale: Locale): string;
  /**
   * "Thanks, we got your message." then `then`'s lines (the reply time, or the away message and
   * when the team is back), each ending as a sentence.
   */
  ack(locale: Locale, then: string[]): string;
  /** A message's time: "now", "5 min", "3 h", then a short date (../time.ts). */
  time(iso: string, now: number, locale: Locale): string;
  /** A message's text with its URLs as links (richText.ts). */
  rich: (content: string) => DocumentFragment;
  /** "Anna is typing…" */
  typing(locale: Locale, name: string): string;
  /** Shows in `note` a calm notice counting down until the visitor may send again. */
  tooFast(note: HTMLElement, ms: number, locale: Locale): void;
}
