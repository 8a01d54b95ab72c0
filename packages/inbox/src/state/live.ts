/**
 * What the live stream changes, as one pure step per AdminChannel event: the known
 * conversations, the list, the open threads and who is typing. The store adds the side effects
 * (fetching an unknown conversation, marking read, sounds).
 */
import type { AdminEvent, Conversation } from "@parley/protocol";
import {
  applyMessage,
  mergeConversation,
  placeInList,
  removeFromList,
  type ConversationMap,
  type ListState,
} from "./conversationList.js";
import { addHistory, addMessage, EMPTY_THREAD, setPendingState, type Thread } from "./thread.js";
import { setTyping, typistKey, type TypingBoard } from "./typing.js";
import { addLivePage, type LivePages } from "./visitorContext.js";

export interface LiveState {
  conversations: ConversationMap;
  list: ListState;
  threads: ReadonlyMap<number, Thread>;
  typing: TypingBoard;
  /** Pages visitors opened while we listened (`visitor_page`), per conversation (§12). */
  livePages: LivePages;
}

export interface EventContext {
  meId: number;
  nowMs: number;
  /** The conversation on screen while the page is visible: its visitor messages are read at once. */
  readingId: number | null;
}

export function upsertConversation<S extends LiveState>(state: S, incoming: Conversation, meId: number): S {
  const merged = mergeConversation(state.conversations.get(incoming.id), incoming);
  const conversations = new Map(state.conversations).set(merged.id, merged);
  return { ...state, conversations, list: placeInList(state.list, merged, conversations, meId) };
}

export function forgetConversation<S extends LiveState>(state: S, conversationId: number): S {
  const conversations = new Map(state.conversations);
  conversations.delete(conversationId);
  const threads = new Map(state.threads);
  threads.delete(conversationId);
  const typing = new Map(state.typing);
  typing.delete(conversationId);
  const livePages = new Map(state.livePages);
  livePages.delete(conversationId);
  return {
    ...state,
    conversations,
    threads,
    typing,
    livePages,
    list: removeFromList(state.list, conversationId),
  };
}

function withThread<S extends LiveState>(
  state: S,
  conversationId: number,
  update: (thread: Thread) => Thread,
): S {
  const current = state.threads.get(conversationId);
  if (current === undefined) return state;
  const next = update(current);
  return next === current ? state : { ...state, threads: new Map(state.threads).set(conversationId, next) };
}

export function applyEvent<S extends LiveState>(state: S, event: AdminEvent, context: EventContext): S {
  switch (event.type) {
    case "conversations":
      return event.conversations.reduce(
        (next, conversation) => upsertConversation(next, conversation, context.meId),
        state,
      );
    case "conversation_updated":
      return upsertConversation(state, event.conversation, context.meId);
    case "conversation_deleted":
      return forgetConversation(state, event.conversation_id);
    case "new_message": {
      const { conversation_id: id, message } = event;
      let next = withThread(state, id, (thread) => addMessage(thread, message));
      const typist = typistKey(message.sender, message.agent?.id);
      next = { ...next, typing: setTyping(next.typing, id, typist, false, context.nowMs) };
      const conversation = next.conversations.get(id);
      if (conversation === undefined) return next;
      const updated = applyMessage(conversation, message, event.visitor_name, {
        countUnread: context.readingId !== id,
      });
      return updated === conversation ? next : upsertConversation(next, updated, context.meId);
    }
    case "history": {
      const current = state.threads.get(event.conversation_id) ?? EMPTY_THREAD;
      const thread = addHistory(current, event.messages, event.has_more ?? false);
      return { ...state, threads: new Map(state.threads).set(event.conversation_id, thread) };
    }
    case "typing": {
      if (event.sender === "admin" && event.agent_id === context.meId) return state;
      const typist = typistKey(event.sender, event.agent_id);
      return {
        ...state,
        typing: setTyping(state.typing, event.conversation_id, typist, event.typing, context.nowMs),
      };
    }
    case "error": {
      const clientId = event.client_id;
      if (clientId === undefined) return state;
      let next = state;
      for (const [id, thread] of state.threads) {
        if (thread.pending.some((p) => p.client_id === clientId)) {
          next = withThread(next, id, (t) => setPendingState(t, clientId, "failed", event.error));
        }
      }
      return next;
    }
    case "caught_up":
      // Only where the replay ends; the store decides what that means for sounds.
      return state;
    case "site_updated":
      // Sites live beside the conversations, in the store (state/sites.ts upsertSite).
      return state;
    case "visitor_page":
      return { ...state, livePages: addLivePage(state.livePages, event.conversation_id, event.page) };
    case "labels_updated":
    case "agent_availability":
    case "view_counts":
    case "note_created":
    case "notes":
      // (§15) Team-wide things live beside the conversations, in the store.
      return state;
  }
}
