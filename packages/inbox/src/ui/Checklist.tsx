/**
 * The first-run checklist (§14), a card at the top of the conversation list: the steps that make
 * an install useful, each with the way to do it, and how many are done. It asks the server
 * (`GET /onboarding`) for what only the server knows, again when the page is shown or focused,
 * when a conversation arrives and when the team changes. It goes once every step is done, or
 * when hidden: either is remembered per agent in this browser. Its links avoid the words of the main
 * navigation ("Team", "Account"), so each of those names one link on the page.
 */
import { useT } from "../i18n/index.js";
import type { OnboardingResponse, Site } from "@parley/protocol";
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { rest } from "../api/rest.js";
import {
  onSoundChange,
  readFlag,
  setSoundEnabled,
  soundEnabled,
  writeFlag,
} from "../attention/preferences.js";
import { chime } from "../attention/sound.js";
import {
  checklistHiddenKey,
  checklistItems,
  checklistProgress,
  type ChecklistItem,
} from "../state/onboarding.js";
import { routePath } from "../state/routes.js";
import { Icon } from "./Icon.js";
import { onLinkClick } from "./router.js";
import { EmbedSnippet } from "./settings/EmbedSnippet.js";
import { useInbox } from "./useInbox.js";
import { usePushSwitch } from "./usePushSwitch.js";

function useSound(): boolean {
  const [on, setOn] = useState(soundEnabled());
  useEffect(() => onSoundChange(setOn), []);
  return on;
}

/** The server's part of the checklist, fetched again whenever it may have changed. */
function useOnboarding(enabled: boolean): OnboardingResponse | null {
  const conversations = useInbox((state) => state.conversations.size);
  const teamSize = useInbox((state) => state.agents.length);
  const [onboarding, setOnboarding] = useState<OnboardingResponse | null>(null);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!enabled) return;
    const again = (): void => {
      if (document.visibilityState === "visible") setAsked((count) => count + 1);
    };
    addEventListener("focus", again);
    document.addEventListener("visibilitychange", again);
    return () => {
      removeEventListener("focus", again);
      document.removeEventListener("visibilitychange", again);
    };
  }, [enabled]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    rest.onboarding().then(
      (answer) => live && setOnboarding(answer),
      () => undefined, // a server that cannot say leaves its steps not done
    );
    return () => {
      live = false;
    };
  }, [enabled, conversations, teamSize, asked]);

  return onboarding;
}

export function Checklist() {
  const me = useInbox((state) => state.me);
  const [hidden, setHidden] = useState(() => readFlag(checklistHiddenKey(me.id)));
  const sound = useSound();
  const t = useT();
  const push = usePushSwitch();
  const pushOn = push.state?.kind === "ready" && push.state.subscribed;
  const owner = me.role === "owner";
  const onboarding = useOnboarding(!hidden && owner);
  const items = checklistItems({ me, notificationsOn: sound || pushOn, onboarding });
  const progress = checklistProgress(items);
  // Once every step is done the card is done with for good, like a hidden one: turning the sound
  // off later does not bring it back, and the server is not asked again.
  useEffect(() => {
    if (progress.complete && !hidden) {
      writeFlag(checklistHiddenKey(me.id), true);
      setHidden(true);
    }
  }, [progress.complete, hidden, me.id]);
  // Until the server has answered, an owner's card would flash at 0 for steps already done.
  if (hidden || progress.complete || (owner && onboarding === null)) return null;

  return (
    <section class="card checklist" aria-labelledby="checklist-title">
      <div class="checklist-head">
        <h2 id="checklist-title">{t.getStarted}</h2>
        <p class="checklist-progress" aria-live="polite">
          {t.progressOf(progress.done, progress.total)}
          <span class="sr">{t.progressDoneSr}</span>
        </p>
        <button
          type="button"
          class="link"
          onClick={() => {
            writeFlag(checklistHiddenKey(me.id), true);
            setHidden(true);
          }}
        >
          {t.hide}
          <span class="sr">{t.hideChecklistSr}</span>
        </button>
      </div>
      <div class="checklist-bar" aria-hidden="true">
        <i style={{ width: `${(progress.done / progress.total) * 100}%` }} />
      </div>
      <ul class="checklist-items">
        {items.map((item) => (
          <Step key={item.key} item={item} />
        ))}
      </ul>
    </section>
  );
}

function Step({ item }: { item: ChecklistItem }) {
  const sites = useInbox((state) => state.sites);
  const [snippet, setSnippet] = useState(false);
  const t = useT();
  const site: Site | undefined = sites.find((one) => one.is_default) ?? sites[0];

  let title: string;
  let action: ComponentChildren;
  switch (item.key) {
    case "profile":
      title = t.stepProfile;
      action = (
        <a href={routePath({ page: "account" })} onClick={onLinkClick}>
          {t.editProfile}
        </a>
      );
      break;
    case "notifications":
      title = t.turnOnNotifications;
      action = (
        <button
          type="button"
          class="link"
          onClick={() => {
            setSoundEnabled(true);
            chime();
          }}
        >
          {t.turnOnSound}
        </button>
      );
      break;
    case "widget":
      title = t.stepWidget;
      action = site && (
        <button type="button" class="link" aria-expanded={snippet} onClick={() => setSnippet(!snippet)}>
          {snippet ? t.hideSnippet : t.showSnippet}
        </button>
      );
      break;
    case "test_message":
      title = t.stepTestMessage;
      action = (
        <a href="/" target="_blank" rel="noopener">
          {t.openDemo}
          <span class="sr">{t.newTabSr}</span>
        </a>
      );
      break;
    case "teammate":
      title = t.stepTeammate;
      action = (
        <a href={routePath({ page: "team" })} onClick={onLinkClick}>
          {t.inviteSomeone}
        </a>
      );
      break;
  }

  return (
    <li class={`checklist-item${item.done ? " done" : ""}`} data-step={item.key}>
      <span class="check" aria-hidden="true">
        {item.done && <Icon name="check" />}
      </span>
      <span class="step-title">
        <span class="sr">{item.done ? t.doneSr : t.toDoSr}</span>
        {title}
      </span>
      {!item.done && <span class="step-action">{action}</span>}
      {item.key === "widget" && snippet && !item.done && site && (
        <div class="step-more">
          <EmbedSnippet site={site} />
        </div>
      )}
    </li>
  );
}
