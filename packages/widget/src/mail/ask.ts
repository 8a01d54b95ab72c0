/**
 * The app calls this whenever the conversation or the team's presence changes (on a site that
 * sends email, once there are messages): the entries are drawn, and the card is shown when
 * when.ts says, unless the visitor gave an address or declined in this browser.
 */
import type { MailChunk } from "./contract.js";
import { entriesIn } from "./entries.js";
import { GIVEN } from "./given.js";
import { askDelay } from "./when.js";

let timer: ReturnType<typeof setTimeout> | undefined;

export const ask: MailChunk["ask"] = (context, messages, away, config) => {
  const entries = entriesIn(context);
  clearTimeout(timer);
  if (context.storage.get(GIVEN)) return;
  const wait = askDelay(messages, away, config.ask_email_after_seconds, Date.now());
  if (wait !== undefined) timer = setTimeout(() => entries.open("replies", false), wait);
};
