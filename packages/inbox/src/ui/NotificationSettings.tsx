/**
 * *Account* → Notifications: the chime, and the web push switch for this device. The switch is
 * off until the agent turns it on, and only then does the browser ask for permission; when the
 * browser cannot do push, or notifications are blocked, it stays disabled and says why.
 */
import { type Messages, useT } from "../i18n/index.js";
import { useState } from "preact/hooks";
import { setSoundEnabled, soundEnabled } from "../attention/preferences.js";
import type { PushState } from "../attention/push.js";
import { chime } from "../attention/sound.js";
import { usePushSwitch, type PushTarget } from "./usePushSwitch.js";

function pushNote(state: PushState | null, target: PushTarget, t: Messages): string {
  if (state === null) return t.checkingPush;
  if (target === true) return t.turningPushOn;
  if (target === false) return t.turningPushOff;
  switch (state.kind) {
    case "unsupported":
      return state.note;
    case "denied":
      return t.pushBlocked;
    case "ready":
      return state.subscribed ? t.pushOn : t.pushOff;
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
  const t = useT();
  const { state: push, target, error, turn } = usePushSwitch();

  const ready = push?.kind === "ready";
  return (
    <section class="card form" aria-labelledby="attention-title">
      <h2 id="attention-title">{t.notifications}</h2>
      <p class="muted small">{t.notificationsIntro}</p>
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
        {t.playSound}
      </label>
      <label class={`switch${ready ? "" : " disabled"}`}>
        <input
          type="checkbox"
          name="push"
          disabled={!ready || target !== null}
          checked={ready && (target ?? push.subscribed)}
          onChange={(event) => void turn(event.currentTarget.checked)}
        />
        {t.webPush}
      </label>
      <p class="muted small" data-push-note data-push-state={stateName(push, target)}>
        {pushNote(push, target, t)}
      </p>
      {error !== null && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
