/**
 * (§15) Put labels on a conversation and take them off: a button opening a list of checkboxes
 * (Tab and Space, or a click), with a filter box once there are many. Each change sends the
 * conversation's whole set (`set_labels`); `conversation_updated` confirms it for everyone.
 */
import { useT } from "../i18n/index.js";
import { MAX_LABELS_PER_CONVERSATION, type Conversation } from "@parley/protocol";
import { useState } from "preact/hooks";
import { chipText, toggleLabel } from "../state/labels.js";
import { usePopover } from "./usePopover.js";
import { useInbox, useStore } from "./useInbox.js";

/** A filter box helps past this many labels. */
const FILTER_FROM = 8;

export function LabelPicker({ conversation }: { conversation: Conversation }) {
  const store = useStore();
  const labels = useInbox((state) => state.labels);
  const popover = usePopover();
  const t = useT();
  const [query, setQuery] = useState("");
  const panelId = `labels-${conversation.id}`;
  const chosen = new Set(conversation.label_ids ?? []);
  const needle = query.trim().toLowerCase();
  const shown = labels.filter((label) => needle === "" || label.name.toLowerCase().includes(needle));
  const full = chosen.size >= MAX_LABELS_PER_CONVERSATION;

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
        {t.labelsMenu}
      </button>
      {popover.open && (
        <div class="popover-panel label-picker" id={panelId}>
          {labels.length === 0 ? (
            <p class="muted small">{t.noLabelsYetPicker}</p>
          ) : (
            <fieldset>
              <legend>{t.tabLabels}</legend>
              {labels.length >= FILTER_FROM && (
                <input
                  type="search"
                  aria-label={t.findLabel}
                  placeholder={t.findLabel}
                  value={query}
                  onInput={(event) => setQuery(event.currentTarget.value)}
                />
              )}
              <ul>
                {shown.map((label) => (
                  <li key={label.id}>
                    <label class="label-option">
                      <input
                        type="checkbox"
                        checked={chosen.has(label.id)}
                        disabled={full && !chosen.has(label.id)}
                        onChange={(event) =>
                          store.setLabels(
                            conversation.id,
                            toggleLabel(conversation, label.id, event.currentTarget.checked),
                          )
                        }
                      />
                      <span
                        class="label-chip"
                        style={{ background: label.color, color: chipText(label.color) }}
                      >
                        {label.name}
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
              {full && <p class="muted small">{t.atMostLabels(MAX_LABELS_PER_CONVERSATION)}</p>}
            </fieldset>
          )}
        </div>
      )}
    </div>
  );
}
