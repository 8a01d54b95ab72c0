/**
 * One conversation's private notes as the inbox holds them (§15): stored notes by id, oldest
 * first, plus the agent's own notes the server has not confirmed yet (by `client_id`). Notes live
 * apart from messages; the log interleaves the two by time.
 */
import type { Message, Note } from "@parley/protocol";

export interface PendingNote {
  client_id: string;
  content: string;
  created_at: string;
  state: "sending" | "failed";
  error: string | null;
}

export interface NoteThread {
  notes: Note[];
  pending: PendingNote[];
  /** `notes` (the answer to get_notes) has arrived. */
  loaded: boolean;
}

export const EMPTY_NOTES: NoteThread = { notes: [], pending: [], loaded: false };

function byTime(a: { created_at: string; id: number }, b: { created_at: string; id: number }): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id - b.id;
}

/** Notes merged by id (a later copy wins), oldest first; each settles the pending note it answers. */
export function addNotes(thread: NoteThread, incoming: readonly Note[], loaded = thread.loaded): NoteThread {
  const byId = new Map<number, Note>();
  for (const note of thread.notes) byId.set(note.id, note);
  for (const note of incoming) byId.set(note.id, note);
  const answered = new Set(incoming.flatMap((n) => (n.client_id === undefined ? [] : [n.client_id])));
  return {
    notes: [...byId.values()].sort(byTime),
    pending: thread.pending.filter((p) => !answered.has(p.client_id)),
    loaded,
  };
}

export function addPendingNote(thread: NoteThread, pending: PendingNote): NoteThread {
  return { ...thread, pending: [...thread.pending, pending] };
}

export function setPendingNote(
  thread: NoteThread,
  clientId: string,
  state: PendingNote["state"],
  error: string | null = null,
): NoteThread {
  if (!thread.pending.some((p) => p.client_id === clientId)) return thread;
  return {
    ...thread,
    pending: thread.pending.map((p) => (p.client_id === clientId ? { ...p, state, error } : p)),
  };
}

export type LogItem = { kind: "message"; message: Message } | { kind: "note"; note: Note };

/**
 * Messages and notes in one timeline by `created_at` (a message before a note of the same
 * instant). While older messages are still on the server, notes older than the oldest message
 * held wait for them, so a note never sits above history that is not loaded yet.
 */
export function interleave(
  messages: readonly Message[],
  notes: readonly Note[],
  hasMore: boolean,
): LogItem[] {
  const oldest = messages[0]?.created_at;
  const shown = hasMore && oldest !== undefined ? notes.filter((note) => note.created_at >= oldest) : notes;
  const items: LogItem[] = [];
  let n = 0;
  for (const message of messages) {
    while (n < shown.length && (shown[n]?.created_at ?? "") < message.created_at) {
      items.push({ kind: "note", note: shown[n] as Note });
      n++;
    }
    items.push({ kind: "message", message });
  }
  for (; n < shown.length; n++) items.push({ kind: "note", note: shown[n] as Note });
  return items;
}

/** Whether the note mentions this agent (and is not their own). */
export function mentionsMe(note: Note, meId: number): boolean {
  return note.agent.id !== meId && note.mention_ids.includes(meId);
}
