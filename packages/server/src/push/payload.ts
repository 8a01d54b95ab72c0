/**
 * What the inbox's service worker receives in a push: JSON it shows as a notification. Small on
 * purpose: push services take 4 KB and encryption adds ~100 bytes, so the body is the start of
 * the latest message only (the inbox loads the rest), and the tag lets a newer notification about
 * the same conversation replace the older one on screen.
 */
import type { PushNotification } from "@parley/protocol";
import type { StoredConversation, StoredMessage } from "../store/store.js";
import type { StoredNote } from "../store/teamWorkStore.js";

// The shape is shared with the inbox's service worker, so it lives with the wire types.
export type { PushNotification };

export const BODY_MAX = 100;

export function conversationTag(conversationId: number): string {
  return `parley-conversation-${conversationId}`;
}

/** The push service's Topic header: at most 32 of [A-Za-z0-9_-], one per conversation. */
export function conversationTopic(conversationId: number): string {
  return `conversation-${conversationId}`;
}

export function visitorMessageNotification(
  conversation: Pick<StoredConversation, "id" | "visitorName" | "unreadCount">,
  latest: Pick<StoredMessage, "content">,
): PushNotification {
  const who = conversation.visitorName ?? "a visitor";
  const count = Math.max(conversation.unreadCount, 1);
  return {
    title: count === 1 ? `New message from ${who}` : `${count} new messages from ${who}`,
    body: truncate(latest.content.replace(/\s+/g, " ").trim(), BODY_MAX),
    url: `/admin/chats/${conversation.id}`,
    tag: conversationTag(conversation.id),
    conversation_id: conversation.id,
    count,
  };
}

/** (§15) A note mentioned the agent: "X mentioned you", the note's start as the body. */
export function mentionNotification(
  note: Pick<StoredNote, "conversationId" | "agentName" | "content">,
): PushNotification {
  return {
    title: `${note.agentName} mentioned you`,
    body: truncate(`${note.agentName} mentioned you: ${note.content.replace(/\s+/g, " ").trim()}`, BODY_MAX),
    url: `/admin/chats/${note.conversationId}`,
    tag: conversationTag(note.conversationId),
    conversation_id: note.conversationId,
    count: 1,
  };
}

/** Cuts at a code point (never inside a surrogate pair) and marks the cut with an ellipsis. */
function truncate(text: string, max: number): string {
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join("")}…`;
}
