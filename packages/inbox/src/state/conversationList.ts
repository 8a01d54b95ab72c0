/**
 * The conversation list as the agent sees it: the pages loaded from the server for the current
 * filter, kept live. Pure functions over plain data, so the tricky cases (a conversation moving
 * in or out of the filter, pages racing live events) are unit-tested.
 */
import { messagePreview, type Conversation, type Message } from "@parley/protocol";
import { matchesSite, matchesView, visiblyMatchesSearch, type ListFilter } from "./filters.js";

export interface ListState {
  filter: ListFilter;
  /** Conversation ids, newest activity first. */
  ids: number[];
  /** The server's cursor for the next (older) page; undefined when every match is loaded. */
  nextBefore: string | undefined;
  /** The first page has arrived. */
  loaded: boolean;
  loading: boolean;
  error: string | null;
}

export type ConversationMap = ReadonlyMap<number, Conversation>;

export function emptyList(filter: ListFilter): ListState {
  return { filter, ids: [], nextBefore: undefined, loaded: false, loading: true, error: null };
}

/** The server's order: updated_at desc, then id desc. Negative when `a` comes first. */
export function compareActivity(a: Conversation, b: Conversation): number {
  if (a.updated_at !== b.updated_at) return a.updated_at > b.updated_at ? -1 : 1;
  return b.id - a.id;
}

export function sortIds(ids: Iterable<number>, conversations: ConversationMap): number[] {
  const known = [...new Set(ids)].flatMap((id) => {
    const conversation = conversations.get(id);
    return conversation === undefined ? [] : [conversation];
  });
  return known.sort(compareActivity).map((conversation) => conversation.id);
}

/**
 * Combines what we hold with a newer copy from the server. The server's copy wins (status,
 * assignee, unread, presence), except that a latest message we already hold live (and its
 * preview) is never replaced by an older one from a snapshot taken just before it.
 */
export function mergeConversation(current: Conversation | undefined, incoming: Conversation): Conversation {
  if (current === undefined) return incoming;
  const currentLast = current.latest_message;
  const incomingLast = incoming.latest_message;
  if (currentLast && (!incomingLast || incomingLast.id < currentLast.id)) {
    return {
      ...incoming,
      latest_message: currentLast,
      last_message: current.last_message ?? messagePreview(currentLast),
      updated_at: current.updated_at > incoming.updated_at ? current.updated_at : incoming.updated_at,
    };
  }
  return incoming;
}

/**
 * A live message applied to its conversation. Replays of messages the conversation's snapshot
 * already covers (catch-up after a reconnect) change nothing, so unread counts never double.
 */
export function applyMessage(
  conversation: Conversation,
  message: Message,
  visitorName: string | null,
  options: { countUnread: boolean },
): Conversation {
  const last = conversation.latest_message;
  if (last && message.id <= last.id) return conversation;
  const unread =
    message.sender === "visitor" && options.countUnread
      ? conversation.unread_count + 1
      : conversation.unread_count;
  return {
    ...conversation,
    // The same preview text the server sends (a file's name for a message of files alone).
    last_message: messagePreview(message),
    latest_message: message,
    visitor_name: visitorName ?? conversation.visitor_name,
    updated_at: message.created_at > conversation.updated_at ? message.created_at : conversation.updated_at,
    unread_count: unread,
  };
}

/**
 * Whether a conversation belongs in the list now: never one of another site than the filter's.
 * One already listed stays while its state, assignee and labels match (the server matched its search). A new one must match the filter visibly, and
 * be newer than the oldest loaded row unless every match is loaded: an older one will come with
 * its page, in its place.
 */
export function belongsInList(
  list: ListState,
  conversation: Conversation,
  conversations: ConversationMap,
  meId: number,
): boolean {
  if (!matchesView(conversation, list.filter, meId)) return false;
  if (!matchesSite(conversation, list.filter.siteId)) return false;
  if (list.ids.includes(conversation.id)) return true;
  if (!visiblyMatchesSearch(conversation, list.filter.search)) return false;
  if (list.nextBefore === undefined) return true;
  const oldestId = list.ids[list.ids.length - 1];
  const oldest = oldestId === undefined ? undefined : conversations.get(oldestId);
  return oldest === undefined || compareActivity(conversation, oldest) <= 0;
}

/** The list after `conversation` changed (it is already in `conversations`). */
export function placeInList(
  list: ListState,
  conversation: Conversation,
  conversations: ConversationMap,
  meId: number,
): ListState {
  const listed = list.ids.includes(conversation.id);
  if (belongsInList(list, conversation, conversations, meId)) {
    return { ...list, ids: sortIds(listed ? list.ids : [...list.ids, conversation.id], conversations) };
  }
  return listed ? { ...list, ids: list.ids.filter((id) => id !== conversation.id) } : list;
}

export function removeFromList(list: ListState, conversationId: number): ListState {
  return list.ids.includes(conversationId)
    ? { ...list, ids: list.ids.filter((id) => id !== conversationId) }
    : list;
}

/**
 * A page from the server (its conversations already merged into `conversations`). A `fresh` page
 * is the first page, loaded or refetched after a reconnect. The first load keeps live arrivals
 * newer than the page but drops older ones (they come with their own page, so the list grows a
 * page at a time). A refetch drops listed rows in the page's range that the server no longer
 * returns: deleted, or changed while we were away.
 */
export function addPage(
  list: ListState,
  page: { conversations: Conversation[]; next_before?: string },
  conversations: ConversationMap,
  options: { fresh: boolean },
): ListState {
  const pageIds = new Set(page.conversations.map((conversation) => conversation.id));
  const newest = page.conversations[0];
  const oldest = page.conversations[page.conversations.length - 1];
  const complete = page.next_before === undefined;
  const keep = (id: number): boolean => {
    const conversation = conversations.get(id);
    if (pageIds.has(id) || !options.fresh || conversation === undefined) return true;
    if (!list.loaded) return complete || newest === undefined || compareActivity(conversation, newest) < 0;
    return !complete && oldest !== undefined && compareActivity(conversation, oldest) > 0;
  };
  return {
    ...list,
    ids: sortIds([...list.ids.filter(keep), ...pageIds], conversations),
    // A refetch keeps the deepest cursor: the older pages we hold are still in place.
    nextBefore: options.fresh && list.loaded ? list.nextBefore : page.next_before,
    loaded: true,
    loading: false,
    error: null,
  };
}

/** The sum of unread messages over every conversation we know of (for the tab title). */
export function totalUnread(conversations: ConversationMap): number {
  let total = 0;
  for (const conversation of conversations.values()) total += conversation.unread_count;
  return total;
}
