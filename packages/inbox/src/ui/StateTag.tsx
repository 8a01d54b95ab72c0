/** (§15) A conversation's state where it is not plain open: "Pending", "Resolved", "Snoozed until …". */
import type { Conversation } from "@parley/protocol";
import { stateOf } from "../state/filters.js";
import { snoozedText } from "../state/snooze.js";

export function StateTag({ conversation }: { conversation: Conversation }) {
  const state = stateOf(conversation);
  if (state === "open") return null;
  const text =
    state === "snoozed"
      ? (snoozedText(conversation) ?? "Snoozed")
      : state === "pending"
        ? "Pending"
        : "Resolved";
  return (
    <span class={`tag state-${state}`} data-state={state}>
      {text}
    </span>
  );
}
