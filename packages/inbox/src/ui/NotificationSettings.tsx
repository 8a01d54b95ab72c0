/**
 * *Account* → Notifications: the chime, and the web push switch for this device. The switch is
 * off until the agent turns it on, and only then does the browser ask for permission; when the
 * browser cannot do push, or notifications are blocked, it stays disabled and says why.
 */
import { useState } from "preact/hooks";
import { setSoundEnabled, soundEnabled } from "../attention/preferences.js";
import type { PushState } from "../attention/push.js";
import { chime } from "../attention/sound.js";
import { usePushSwitch, type PushTarget } from "./usePushSwitch.js";

function pushNote(state: PushState | null, target: PushTarget): string {
  if (state === null) return "Checking web push…";
  if (target === true) return "Turning web push on… (the browser may ask you first)";
  if (target === false) return "Turning web push off…";
  switch (state.kind) {
    case "unsupported":
      return state.note;
    case "denied":
      return "Notifications are blocked for this site. Allow them in the browser's site settings, then reload this page.";
    case "ready":
      return state.subscribed
        ? "On: this device shows a notification when a visitor writes while the inbox is closed."
        : "Off. Turn it on to be notified on this device when a visitor writes while the inbox is closed.";
  }
}

/** For tests and styling: checking, busy, unsupported, denied, on or off. */
function stateName(state: PushState | null, target: PushTarget): string {
  if (state === null) return "checking";
  if (target !== null) return "busy";
  return state.kind === "ready" ? (state.subscribed ? "on" : "off") : state.kind;
}

export function NotificationSettings() {
  const [sound, setSound] = useState(soundEnabled());
  const { state: push, target, error, turn } = usePushSwitch();

  const ready = push?.kind === "ready";
  return (
    <section class="card form" aria-labelledby="attention-title">
      <h2 id="attention-title">Notifications</h2>
      <p class="muted small">The tab title always shows how many messages are unread.</p>
      <label class="switch">
        <input
          type="checkbox"
          checked={sound}
          onChange={(event) => {
            const on = event.currentTarget.checked;
            setSoundEnabled(on);
            setSound(on);
            if (on) chime();
          }}
        />
        Play a sound when a visitor writes
      </label>
      <label class={`switch${ready ? "" : " disabled"}`}>
        <input
          type="checkbox"
          name="push"
          disabled={!ready || target !== null}
          checked={ready && (target ?? push.subscribed)}
          onChange={(event) => void turn(event.currentTarget.checked)}
        />
        Web push notifications on this device
      </label>
      <p class="muted small" data-push-note data-push-state={stateName(push, target)}>
        {pushNote(push, target)}
      </p>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
