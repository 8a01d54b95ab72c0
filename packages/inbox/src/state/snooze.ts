/**
 * Snoozing (§15): the times the menu offers, worked out in the agent's own time zone, and how a
 * snoozed conversation says when it wakes.
 */
import type { Conversation } from "@parley/protocol";
import { formatLocale, messages } from "../i18n/index.js";

export type SnoozeChoice = "hour" | "tomorrow" | "next_week" | "reply";

/** The dictionary keys of each choice's words. */
export const SNOOZE_KEYS = {
  hour: "snoozeHour",
  tomorrow: "snoozeTomorrow",
  next_week: "snoozeNextWeek",
  reply: "snoozeReply",
} as const satisfies Record<SnoozeChoice, string>;

export const SNOOZE_LABELS: Record<SnoozeChoice, string> = {
  hour: "1 hour",
  tomorrow: "Tomorrow 9:00",
  next_week: "Next week",
  reply: "Until the visitor replies",
};

/** When the choice wakes the conversation (ISO 8601 UTC), or null: at the visitor's next message. */
export function snoozeUntil(choice: SnoozeChoice, now: Date): string | null {
  const at = new Date(now.getTime());
  switch (choice) {
    case "reply":
      return null;
    case "hour":
      at.setTime(now.getTime() + 60 * 60 * 1000);
      break;
    case "tomorrow":
      at.setDate(at.getDate() + 1);
      at.setHours(9, 0, 0, 0);
      break;
    case "next_week": {
      // Monday 9:00 of the coming week (a week on when today is Monday).
      const daysToMonday = (8 - at.getDay()) % 7 || 7;
      at.setDate(at.getDate() + daysToMonday);
      at.setHours(9, 0, 0, 0);
      break;
    }
  }
  return at.toISOString();
}

/** What a `datetime-local` input holds as an instant, if it is one in the future within a year. */
/** The dictionary key of what is wrong with a custom snooze time. */
export type SnoozeProblem = "snoozePickDateTime" | "snoozeFuture" | "snoozeAtMostYear";

export function customSnooze(value: string, now: Date): { until: string } | { problem: SnoozeProblem } {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (match === null) return { problem: "snoozePickDateTime" };
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const at = new Date(y, mo - 1, d, h, mi);
  if (Number.isNaN(at.getTime())) return { problem: "snoozePickDateTime" };
  if (at.getTime() <= now.getTime()) return { problem: "snoozeFuture" };
  if (at.getTime() > now.getTime() + 365 * 24 * 60 * 60 * 1000) return { problem: "snoozeAtMostYear" };
  return { until: at.toISOString() };
}

/** `YYYY-MM-DDTHH:MM` of `date` in local time, for a `datetime-local` input's value or `min`. */
export function localInputValue(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "Snoozed until Tue 2 Dec, 09:00", "Snoozed until the visitor replies", or null when not snoozed. */
export function snoozedText(conversation: Conversation, locale: string = formatLocale()): string | null {
  const t = messages();
  if (conversation.state !== "snoozed") return null;
  if (conversation.snoozed_until === null || conversation.snoozed_until === undefined)
    return t.snoozedUntilReply;
  const when = new Date(conversation.snoozed_until);
  const text = when.toLocaleString(locale, {
    weekday: "short",
    day: "numeric",
    month: "short",
    hour: "2-digit",
    minute: "2-digit",
  });
  return t.snoozedUntil(text);
}

/**
 * The same for a list row, short: "Snoozed until Wed 09:00" within the coming week, else
 * "Snoozed until 12 Dec"; "Snoozed until a reply".
 */
export function snoozedShortText(
  conversation: Conversation,
  now: Date,
  locale: string = formatLocale(),
): string | null {
  const t = messages();
  if (conversation.state !== "snoozed") return null;
  if (conversation.snoozed_until === null || conversation.snoozed_until === undefined)
    return t.snoozedUntilReplyShort;
  const when = new Date(conversation.snoozed_until);
  const soon = when.getTime() - now.getTime() < 6 * 24 * 60 * 60 * 1000;
  const text = soon
    ? `${when.toLocaleDateString(locale, { weekday: "short" })} ${when.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" })}`
    : when.toLocaleDateString(locale, { day: "numeric", month: "short" });
  return t.snoozedUntil(text);
}
