/**
 * (§15) The conversation's state: Resolve or Reopen, Pending, and Snooze (1 hour, tomorrow 9:00,
 * next week, until the visitor replies, or a date and time of the agent's choosing).
 */
import type { Conversation } from "@parley/protocol";
import { useT } from "../i18n/index.js";
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { stateOf } from "../state/filters.js";
import {
  customSnooze,
  localInputValue,
  SNOOZE_KEYS,
  SNOOZE_LABELS,
  snoozeUntil,
  type SnoozeChoice,
} from "../state/snooze.js";
import { usePopover } from "./usePopover.js";
import { useStore } from "./useInbox.js";

const CHOICES = Object.keys(SNOOZE_LABELS) as SnoozeChoice[];

export function StateActions(props: { conversation: Conversation; onDone: () => void }) {
  const { conversation, onDone } = props;
  const store = useStore();
  const state = stateOf(conversation);
  const t = useT();
  const id = conversation.id;
  const set = (next: "open" | "pending" | "resolved") => () => {
    onDone();
    store.setState(id, next);
  };
  return (
    <>
      {state === "resolved" ? (
        <button type="button" class="ghost" onClick={set("open")}>
          {t.reopen}
        </button>
      ) : (
        <button type="button" class="ghost" onClick={set("resolved")}>
          {t.resolve}
        </button>
      )}
      {state !== "open" && state !== "resolved" && (
        <button type="button" class="ghost" onClick={set("open")}>
          {t.open}
        </button>
      )}
      {state !== "pending" && (
        <button type="button" class="ghost" onClick={set("pending")}>
          {t.pending}
        </button>
      )}
      <SnoozeMenu conversation={conversation} onDone={onDone} />
    </>
  );
}

function SnoozeMenu({ conversation, onDone }: { conversation: Conversation; onDone: () => void }) {
  const store = useStore();
  const popover = usePopover();
  const [custom, setCustom] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const t = useT();
  const panelId = `snooze-${conversation.id}`;

  const snooze = (until: string | null): void => {
    popover.close();
    onDone();
    store.setState(conversation.id, "snoozed", until);
  };
  const submitCustom = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const outcome = customSnooze(custom, new Date());
    if ("problem" in outcome) {
      setProblem(t[outcome.problem]);
      return;
    }
    setProblem(null);
    snooze(outcome.until);
  };

  return (
    <div class={`popover${popover.open ? " open" : ""}`} ref={popover.wrapper} onKeyDown={popover.onKeyDown}>
      <button
        ref={popover.button}
        type="button"
        class="ghost"
        aria-expanded={popover.open}
        aria-controls={panelId}
        onClick={popover.toggle}
      >
        {t.snoozeMenu}
      </button>
      {popover.open && (
        <div class="popover-panel" id={panelId} role="group" aria-label={t.snoozeUntil}>
          {CHOICES.map((choice) => (
            <button
              key={choice}
              type="button"
              class="ghost"
              onClick={() => snooze(snoozeUntil(choice, new Date()))}
            >
              {t[SNOOZE_KEYS[choice]]}
            </button>
          ))}
          <form class="snooze-custom" onSubmit={submitCustom}>
            <label>
              {t.untilDateTime}
              <input
                type="datetime-local"
                name="snooze_until"
                min={localInputValue(new Date())}
                value={custom}
                aria-invalid={problem !== null}
                aria-describedby={problem === null ? undefined : `${panelId}-problem`}
                onInput={(event) => setCustom(event.currentTarget.value)}
              />
            </label>
            {problem !== null && (
              <p class="error small" id={`${panelId}-problem`} role="alert">
                {problem}
              </p>
            )}
            <button type="submit" class="primary">
              {t.snooze}
            </button>
          </form>
        </div>
      )}
    </div>
  );
}
