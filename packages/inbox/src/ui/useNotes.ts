/** A conversation's notes from the store's NotesStore, re-rendering when they change. */
import { useEffect, useReducer } from "preact/hooks";
import type { NoteThread } from "../state/notes.js";
import { useStore } from "./useInbox.js";

export function useNoteThread(conversationId: number): NoteThread {
  const { notes } = useStore();
  const thread = notes.thread(conversationId);
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  useEffect(
    () =>
      notes.subscribe(() => {
        if (notes.thread(conversationId) !== thread) rerender(undefined);
      }),
    [notes, conversationId, thread],
  );
  return thread;
}

/** Whether a note mentions this agent in a conversation they have not looked at since (§15). */
export function useMentioned(): boolean {
  const { notes } = useStore();
  const mentioned = notes.state.mentionedIn.size > 0;
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  useEffect(
    () =>
      notes.subscribe(() => {
        if (notes.state.mentionedIn.size > 0 !== mentioned) rerender(undefined);
      }),
    [notes, mentioned],
  );
  return mentioned;
}
