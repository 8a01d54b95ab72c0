/**
 * What an agent does to a conversation: assign (with each teammate's availability), its state
 * (resolve, reopen, pending, snooze), its labels, its transcript by email (§16), delete (after a confirmation),
 * download or erase a conversation without a contact (owners, §17),
 * and show the visitor's details where they are folded away. Where the conversation is narrow
 * (a phone) these sit behind one menu button, so the header stays one row; the CSS decides, by
 * the conversation's own width, whether the button shows.
 */
import type { Conversation } from "@parley/protocol";
import { useT } from "../i18n/index.js";
import { useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { visitorLabel } from "../state/names.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { availabilityOf, AVAILABILITY_KEYS } from "../state/availability.js";
import { Icon } from "./Icon.js";
import { LabelPicker } from "./LabelPicker.js";
import { EraseDialog, PrivacyActions } from "./PrivacyActions.js";
import { StateActions } from "./StateMenu.js";
import { TranscriptDialog } from "./TranscriptDialog.js";
import { navigate } from "./router.js";
import { useInbox, useStore } from "./useInbox.js";

export function ConversationActions(props: {
  conversation: Conversation;
  detailsShown: boolean;
  onToggleDetails: () => void;
}) {
  const { conversation } = props;
  const store = useStore();
  const me = useInbox((state) => state.me);
  const agents = useInbox((state) => state.agents);
  const [confirming, setConfirming] = useState(false);
  const [transcript, setTranscript] = useState(false);
  const [erasing, setErasing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = conversation.id;
  const menu = useMenu();
  /** Every action closes the menu it was chosen from. */
  const then = (action: () => void) => () => {
    menu.close();
    action();
  };

  const t = useT();
  const remove = async (): Promise<void> => {
    setBusy(true);
    try {
      await store.remove(id);
      setConfirming(false);
      navigate("/admin/chats");
    } catch (caught) {
      setError(messageOf(caught));
      setBusy(false);
    }
  };

  return (
    <div class={`actions-menu${menu.open ? " open" : ""}`} ref={menu.wrapper}>
      <button
        ref={menu.button}
        type="button"
        class="ghost menu-toggle"
        aria-label={t.conversationActions}
        title={t.conversationActions}
        aria-expanded={menu.open}
        aria-controls={`actions-${id}`}
        onClick={menu.toggle}
      >
        <Icon name="more" />
      </button>
      <div class="actions" id={`actions-${id}`}>
        {conversation.assignee_id !== me.id && (
          <button
            type="button"
            class="ghost"
            onClick={then(() => store.act({ action: "assign", conversation_id: id }))}
          >
            {t.assignToMe}
          </button>
        )}
        <label class="assign">
          <span class="assign-label">{t.assignee}</span>
          <select
            value={conversation.assignee_id === null ? "" : String(conversation.assignee_id)}
            onChange={(event) => {
              const value = event.currentTarget.value;
              menu.close();
              store.act({
                action: "assign",
                conversation_id: id,
                agent_id: value === "" ? null : Number(value),
              });
            }}
          >
            <option value="">{t.unassigned}</option>
            {agents.map((agent) => (
              <option key={agent.id} value={String(agent.id)}>
                {agent.id === me.id
                  ? t.agentYou(agent.name)
                  : `${agent.name} · ${t[AVAILABILITY_KEYS[availabilityOf(agent)]]}`}
              </option>
            ))}
          </select>
        </label>
        <StateActions conversation={conversation} onDone={menu.close} />
        <LabelPicker conversation={conversation} />
        <button type="button" class="ghost" onClick={then(() => setTranscript(true))}>
          {t.sendTranscript}
        </button>
        <button type="button" class="ghost danger-text" onClick={then(() => setConfirming(true))}>
          {t.delete}
        </button>
        {conversation.contact_id === null && (
          <PrivacyActions
            subject={{ kind: "conversation", id }}
            name={visitorLabel(conversation)}
            leaveTo="/admin/chats"
            onAction={menu.close}
            onErase={() => setErasing(true)}
          />
        )}
        <button
          type="button"
          class="ghost details-toggle"
          aria-expanded={props.detailsShown}
          onClick={then(props.onToggleDetails)}
        >
          {t.details}
        </button>
      </div>
      {transcript && <TranscriptDialog conversationId={id} onClose={() => setTranscript(false)} />}
      {erasing && (
        <EraseDialog
          subject={{ kind: "conversation", id }}
          name={visitorLabel(conversation)}
          leaveAtOnce="/admin/chats"
          onClose={() => setErasing(false)}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={t.deleteConversationTitle}
          confirmLabel={busy ? t.deleting : t.delete}
          danger
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirming(false);
            setError(null);
          }}
        >
          <p>{t.deleteConversationBody(visitorLabel(conversation))}</p>
          {error !== null && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}

/**
 * A disclosure: the button shows and hides the actions; Esc or a click elsewhere hides them,
 * and Esc gives focus back to the button.
 */
function useMenu() {
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent): void => {
      if (!(event.target instanceof Node && wrapper.current?.contains(event.target))) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [open]);
  return { open, wrapper, button, toggle: () => setOpen(!open), close: () => setOpen(false) };
}
