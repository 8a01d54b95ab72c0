/**
 * (§15) The agent's availability in the top bar: a coloured dot and its word (the word folds away
 * on a phone, the button's name keeps it), opening three choices. What the agent chose is pressed;
 * when others see something else (idle, or no inbox connected), the button says so too.
 */
import type { AgentAvailability } from "@parley/protocol";
import { useT } from "../i18n/index.js";
import { AVAILABILITIES, AVAILABILITY_KEYS, availabilityOf } from "../state/availability.js";
import { usePopover } from "./usePopover.js";
import { useInbox, useStore } from "./useInbox.js";

export function AvailabilityDot({ availability }: { availability: AgentAvailability }) {
  return <span class={`avail-dot ${availability}`} aria-hidden="true" />;
}

export function AvailabilitySwitch() {
  const store = useStore();
  const me = useInbox((state) => state.me);
  const popover = usePopover();
  const chosen = me.chosen_availability ?? availabilityOf(me);
  const seen = availabilityOf(me);
  const t = useT();
  const word = t[AVAILABILITY_KEYS[chosen]];
  const note = seen !== chosen ? t.othersSee(t[AVAILABILITY_KEYS[seen]]) : "";

  const choose = (availability: AgentAvailability): void => {
    popover.close();
    popover.button.current?.focus();
    if (availability !== chosen || seen !== chosen) store.setAvailability(availability);
  };

  return (
    <div class="popover availability" ref={popover.wrapper} onKeyDown={popover.onKeyDown}>
      <button
        ref={popover.button}
        type="button"
        class="ghost availability-button"
        aria-label={t.availabilityIs(word) + note}
        title={t.availabilityIs(word) + note}
        aria-expanded={popover.open}
        aria-controls="availability-choices"
        onClick={popover.toggle}
      >
        <AvailabilityDot availability={chosen} />
        <span class="availability-word">{word}</span>
      </button>
      {popover.open && (
        <div
          class="popover-panel availability-panel"
          id="availability-choices"
          role="group"
          aria-label={t.setAvailability}
        >
          {AVAILABILITIES.map((availability) => (
            <button
              key={availability}
              type="button"
              class="ghost"
              aria-pressed={availability === chosen}
              onClick={() => choose(availability)}
            >
              <AvailabilityDot availability={availability} /> {t[AVAILABILITY_KEYS[availability]]}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
