/** What an agent does to a conversation: assign, close or reopen, delete (after a confirmation). */
import type { Conversation } from "@parley/protocol";
import { useState } from "preact/hooks";
import { messageOf } from "../api/http.js";
import { visitorLabel } from "../state/names.js";
import { ConfirmDialog } from "./ConfirmDialog.js";
import { navigate } from "./router.js";
import { useInbox, useStore } from "./useInbox.js";

export function ConversationActions({ conversation }: { conversation: Conversation }) {
  const store = useStore();
  const me = useInbox((state) => state.me);
  const agents = useInbox((state) => state.agents);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = conversation.id;

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
    <div class="actions">
      {conversation.assignee_id !== me.id && (
        <button type="button" class="ghost" onClick={() => store.act({ action: "assign", conversation_id: id })}>
          Assign to me
        </button>
      )}
      <label class="assign">
        <span class="sr">Assignee</span>
        <select
          aria-label="Assignee"
          value={conversation.assignee_id === null ? "" : String(conversation.assignee_id)}
          onChange={(event) => {
            const value = event.currentTarget.value;
            store.act({ action: "assign", conversation_id: id, agent_id: value === "" ? null : Number(value) });
          }}
        >
          <option value="">Unassigned</option>
          {agents.map((agent) => (
            <option key={agent.id} value={String(agent.id)}>
              {agent.id === me.id ? `${agent.name} (you)` : agent.name}
            </option>
          ))}
        </select>
      </label>
      {conversation.status === "open" ? (
        <button type="button" class="ghost" onClick={() => store.act({ action: "close", conversation_id: id })}>
          Close
        </button>
      ) : (
        <button type="button" class="ghost" onClick={() => store.act({ action: "reopen", conversation_id: id })}>
          Reopen
        </button>
      )}
      <button type="button" class="ghost danger-text" onClick={() => setConfirming(true)}>
        Delete
      </button>
      {confirming && (
        <ConfirmDialog
          title="Delete this conversation?"
          confirmLabel={busy ? "Deleting…" : "Delete"}
          danger
          busy={busy}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirming(false);
            setError(null);
          }}
        >
          <p>
            The conversation with {visitorLabel(conversation)} and all its messages will be deleted for the whole team.
            This cannot be undone.
          </p>
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
