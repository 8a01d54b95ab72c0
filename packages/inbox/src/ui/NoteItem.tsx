/**
 * A private note in the conversation's log (§15): on the note colour, labelled "Note" for
 * everyone (screen readers too), its text as text with links and mentions; a note that
 * mentions this agent is marked as theirs.
 */
import { useT } from "../i18n/index.js";
import type { Note } from "@parley/protocol";
import { mentionsMe } from "../state/notes.js";
import type { PendingNote } from "../state/notes.js";
import { fullTime, relativeTime } from "../state/relativeTime.js";
import { Avatar } from "./Avatar.js";
import { LinkedText } from "./LinkedText.js";
import { useInbox } from "./useInbox.js";

export function NoteItem({ note, meId, now }: { note: Note; meId: number; now: number }) {
  const agents = useInbox((state) => state.agents);
  const author = agents.find((agent) => agent.id === note.agent.id);
  const mine = note.agent.id === meId;
  const t = useT();
  const forMe = mentionsMe(note, meId);
  return (
    <li class={`msg note-item${forMe ? " for-me" : ""}`} data-note-id={note.id}>
      <span class="who">
        <Avatar name={author?.name ?? note.agent.name} url={author?.avatar_url} size={20} />
        <span class="note-tag">{t.note}</span>
        {mine ? t.you : note.agent.name}
        {forMe && <span class="note-mention">{t.mentionsYou}</span>}
      </span>
      <div class="bubble">
        <LinkedText text={note.content} agents={agents} meId={meId} />
      </div>
      <time class="meta" dateTime={note.created_at} title={fullTime(note.created_at)}>
        {relativeTime(note.created_at, now)}
      </time>
    </li>
  );
}

export function PendingNoteItem({ pending, onRetry }: { pending: PendingNote; onRetry: () => void }) {
  const t = useT();
  return (
    <li class={`msg note-item ${pending.state}`} data-client-id={pending.client_id}>
      <span class="who">
        <span class="note-tag">{t.note}</span>
        {t.you}
      </span>
      <div class="bubble">{pending.content}</div>
      {pending.state === "sending" ? (
        <span class="meta">{t.sending}</span>
      ) : (
        <span class="meta failed" role="alert">
          {t.notSaved(pending.error ?? "")}{" "}
          <button type="button" class="link" onClick={onRetry}>
            {t.retry}
          </button>
        </span>
      )}
    </li>
  );
}
