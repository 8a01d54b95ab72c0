/**
 * On first load, while neither the chime nor web push is on, a banner offers both: one click
 * each, the same as the switches on *Account* (push asks the browser's permission only on that
 * click). It goes when everything it offers is on, or for good in this browser when dismissed.
 */
import { useT } from "../i18n/index.js";
import { useRef, useState } from "preact/hooks";
import {
  attentionBannerDismissed,
  dismissAttentionBanner,
  setSoundEnabled,
  soundEnabled,
} from "../attention/preferences.js";
import { chime } from "../attention/sound.js";
import { usePushSwitch } from "./usePushSwitch.js";

export function AttentionBanner() {
  // Decided when the page opens: an agent who has chosen either already is not asked again.
  const [offered, setOffered] = useState(() => !attentionBannerDismissed() && !soundEnabled());
  if (!offered) return null;
  return (
    <Offer
      onDismiss={() => {
        dismissAttentionBanner();
        setOffered(false);
      }}
    />
  );
}

function Offer({ onDismiss }: { onDismiss: () => void }) {
  const [sound, setSound] = useState(false);
  const push = usePushSwitch();
  const t = useT();
  // Push already on when the page opened counts as a choice made, like the chime.
  const pushOnAtFirst = useRef<boolean | null>(null);

  const state = push.state;
  // Nothing shows until push's state is known, so the banner does not change shape as it loads.
  if (state === null) return null;
  pushOnAtFirst.current ??= state.kind === "ready" && state.subscribed;
  if (pushOnAtFirst.current) return null;
  const pushOffered = state.kind === "ready";
  const pushOn = pushOffered && state.subscribed;
  if (sound && (pushOn || !pushOffered) && push.target === null) return null;

  return (
    <section class="attention" aria-label={t.getNotified}>
      <p>{t.getNotifiedIntro}</p>
      <div class="attention-actions" aria-live="polite">
        {sound ? (
          <span class="ok">{t.soundIsOn}</span>
        ) : (
          <button
            type="button"
            class="primary"
            onClick={() => {
              setSoundEnabled(true);
              setSound(true);
              // Played on the click, which is also what lets the page play sound later.
              chime();
            }}
          >
            {t.turnOnSound}
          </button>
        )}
        {pushOn ? (
          <span class="ok">{t.notificationsAreOn}</span>
        ) : (
          pushOffered && (
            <button
              type="button"
              class="primary"
              disabled={push.target !== null}
              onClick={() => void push.turn(true)}
            >
              {push.target === true ? t.turningOnNotifications : t.turnOnNotifications}
            </button>
          )
        )}
      </div>
      {push.error !== null && (
        <p class="error" role="alert">
          {push.error}
        </p>
      )}
      <button type="button" class="icon dismiss" aria-label={t.dismiss} title={t.dismiss} onClick={onDismiss}>
        ×
      </button>
    </section>
  );
}
