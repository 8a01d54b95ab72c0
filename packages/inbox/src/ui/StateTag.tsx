/**
 * (§15) A conversation's state where it is not plain open: "Pending", "Resolved", "Snoozed until …"
 * (in full in the header, short in a list row, the full text its tooltip).
 */
import type { Conversation } from "@parley/protocol";
import { useT } from "../i18n/index.js";
import { stateOf } from "../state/filters.js";
import { snoozedShortText, snoozedText } from "../state/snooze.js";

export function StateTag({ conversation, short = false }: { conversation: Conversation; short?: boolean }) {
  const state = stateOf(conversation);
  const t = useT();
  if (state === "open") return null;
  const full =
    state === "snoozed"
      ? (snoozedText(conversation) ?? t.stateSnoozed)
      : state === "pending"
        ? t.statePending
        : t.stateResolved;
  const text = short && state === "snoozed" ? (snoozedShortText(conversation, new Date()) ?? full) : full;
  return (
    <span class={`tag state-${state}`} data-state={state} title={full}>
      {text}
    </span>
  );
}
