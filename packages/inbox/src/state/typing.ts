/**
 * Who is typing where. The server says `typing: true` again at least every second while someone
 * types and `false` when they stop; a `true` that is not renewed lapses by itself (protocol §3),
 * so a lost `false` never leaves "is typing…" on screen.
 */
import { TYPING_EXPIRY_MS } from "@parley/protocol";

/** A little longer than the server's expiry, so a renewal in flight is not missed. */
export const TYPING_SHOWN_MS = TYPING_EXPIRY_MS + 500;

/** conversation id → typist ("visitor" or "agent:<id>") → when it lapses (ms since epoch). */
export type TypingBoard = ReadonlyMap<number, ReadonlyMap<string, number>>;

export function typistKey(sender: "visitor" | "admin", agentId?: number): string {
  return sender === "visitor" ? "visitor" : `agent:${agentId ?? 0}`;
}

export function setTyping(
  board: TypingBoard,
  conversationId: number,
  typist: string,
  typing: boolean,
  nowMs: number,
): TypingBoard {
  const current = board.get(conversationId);
  if (!typing && !current?.has(typist)) return board;
  const typists = new Map(current);
  if (typing) typists.set(typist, nowMs + TYPING_SHOWN_MS);
  else typists.delete(typist);
  const next = new Map(board);
  if (typists.size === 0) next.delete(conversationId);
  else next.set(conversationId, typists);
  return next;
}

/** The board without lapsed entries (the same object when nothing lapsed). */
export function pruneTyping(board: TypingBoard, nowMs: number): TypingBoard {
  let changed = false;
  const next = new Map<number, ReadonlyMap<string, number>>();
  for (const [conversationId, typists] of board) {
    const alive = new Map([...typists].filter(([, until]) => until > nowMs));
    if (alive.size !== typists.size) changed = true;
    if (alive.size > 0) next.set(conversationId, alive);
  }
  return changed ? next : board;
}

/** The typists of one conversation that have not lapsed. */
export function typistsIn(board: TypingBoard, conversationId: number, nowMs: number): string[] {
  const typists = board.get(conversationId);
  if (typists === undefined) return [];
  return [...typists].filter(([, until]) => until > nowMs).map(([typist]) => typist);
}

/** When the next entry lapses, to schedule a re-render; undefined when nobody types. */
export function nextLapse(board: TypingBoard): number | undefined {
  let soonest: number | undefined;
  for (const typists of board.values()) {
    for (const until of typists.values()) if (soonest === undefined || until < soonest) soonest = until;
  }
  return soonest;
}
