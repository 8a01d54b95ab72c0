/**
 * One conversation's messages as the inbox holds them: stored messages by id (oldest first, never
 * twice, however often the history, the live stream and a catch-up repeat one) plus the agent's
 * own sends that the server has not confirmed yet, keyed by `client_id`.
 */
import type { Attachment, Message } from "@parley/protocol";

/** "uploading": its files are on their way to `POST /uploads`; the message is sent after. */
export type PendingState = "uploading" | "sending" | "failed";

/** What the inbox knows of a picked file before the server has it. */
export interface PendingFile {
  name: string;
  type: string;
  size: number;
}

export interface PendingMessage {
  client_id: string;
  content: string;
  created_at: string;
  state: PendingState;
  error: string | null;
  /** Files still to upload, in order (a message of files only). */
  files?: PendingFile[];
  /** Files uploaded; the message carries their ids. */
  attachments?: Attachment[];
  /** 0–1 across the message's files, while uploading. */
  progress?: number;
}

export interface Thread {
  messages: Message[];
  pending: PendingMessage[];
  /** The first page of history has arrived. */
  loaded: boolean;
  /** Older messages exist on the server. */
  hasMore: boolean;
  loadingOlder: boolean;
}

export const EMPTY_THREAD: Thread = {
  messages: [],
  pending: [],
  loaded: false,
  hasMore: false,
  loadingOlder: false,
};

/** Stored messages merged by id, oldest first; a later copy of an id replaces the earlier one. */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): Message[] {
  if (incoming.length === 0) return [...current];
  const byId = new Map<number, Message>();
  for (const message of current) byId.set(message.id, message);
  for (const message of incoming) byId.set(message.id, message);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** A stored message arrived (live, echoed or caught up): it settles the pending send it answers. */
export function addMessage(thread: Thread, message: Message): Thread {
  const settles =
    message.client_id !== undefined && thread.pending.some((p) => p.client_id === message.client_id);
  const pending = settles ? thread.pending.filter((p) => p.client_id !== message.client_id) : thread.pending;
  if (!settles && thread.messages.some((m) => m.id === message.id)) return thread;
  return { ...thread, messages: mergeMessages(thread.messages, [message]), pending };
}

/**
 * A `history` page. The oldest end decides `hasMore`: a page that reaches further back than what
 * we hold (or the first page) tells whether even older messages exist.
 */
export function addHistory(thread: Thread, messages: readonly Message[], hasMore: boolean): Thread {
  const oldestHeld = thread.messages[0]?.id;
  const oldestIncoming = messages[0]?.id;
  const reachesFurther =
    oldestHeld === undefined || (oldestIncoming !== undefined && oldestIncoming <= oldestHeld);
  const answered = new Set(messages.flatMap((m) => (m.client_id === undefined ? [] : [m.client_id])));
  return {
    messages: mergeMessages(thread.messages, messages),
    pending: thread.pending.filter((p) => !answered.has(p.client_id)),
    loaded: true,
    hasMore: !thread.loaded || reachesFurther ? hasMore : thread.hasMore,
    loadingOlder: false,
  };
}

export function addPending(thread: Thread, pending: PendingMessage): Thread {
  return { ...thread, pending: [...thread.pending, pending] };
}

export function setPendingState(
  thread: Thread,
  clientId: string,
  state: PendingState,
  error: string | null = null,
): Thread {
  if (!thread.pending.some((p) => p.client_id === clientId)) return thread;
  return {
    ...thread,
    pending: thread.pending.map((p) => (p.client_id === clientId ? { ...p, state, error } : p)),
  };
}

export function updatePending(
  thread: Thread,
  clientId: string,
  change: (pending: PendingMessage) => PendingMessage,
): Thread {
  if (!thread.pending.some((p) => p.client_id === clientId)) return thread;
  return { ...thread, pending: thread.pending.map((p) => (p.client_id === clientId ? change(p) : p)) };
}

export function removePending(thread: Thread, clientId: string): Thread {
  return { ...thread, pending: thread.pending.filter((p) => p.client_id !== clientId) };
}

export function findPending(thread: Thread, clientId: string): PendingMessage | undefined {
  return thread.pending.find((p) => p.client_id === clientId);
}

/** The id to page back from, if any. */
export function oldestId(thread: Thread): number | undefined {
  return thread.messages[0]?.id;
}
