/**
 * When the widget asks for the visitor's email (protocol §16): once they have written and nobody
 * has answered since, at once while the team is away, else when `ask_email_after_seconds` have
 * passed since the first of their unanswered messages (never, when that is null). Worked out from
 * the conversation itself, so a reload or another tab asks at the same moment.
 */
import type { ChatMessage } from "../conversation.js";

/** Milliseconds from `now` until the ask (0: now), or undefined: not (yet) to be asked. */
export function askDelay(
  messages: readonly ChatMessage[],
  away: boolean,
  afterSeconds: number | null | undefined,
  now: number,
): number | undefined {
  let since: string | undefined;
  for (const message of messages) {
    if (message.sender === "admin") since = undefined;
    else if (message.delivery === "sent") since ??= message.createdAt;
  }
  if (since === undefined) return undefined;
  if (away) return 0;
  if (typeof afterSeconds !== "number") return undefined;
  return Math.max(0, Date.parse(since) + afterSeconds * 1000 - now);
}
