/**
 * What the app and the expect chunk (dist/widget-expect.js) agree on. The chunk says what a
 * visitor may expect: when a closed team is back ("Back Monday at 9:00", in the header) and, after
 * their first message, that it arrived and when a reply is likely. The app fetches it when the
 * site is closed or a first message is sent, so neither weighs on what a visitor downloads before
 * writing to an open team. Types only.
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
}
