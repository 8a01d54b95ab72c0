/** Stored rows → the wire shapes of protocol §5. */
import {
  previewText,
  type Attachment,
  type Conversation,
  type ConversationRating,
  type Message,
  type RatingScore,
} from "@parley/protocol";
import type { StoredRating } from "../store/ratingStore.js";
import type { StoredConversation, StoredMessage } from "../store/store.js";

/** `attachments` is present only when the message has files (chat/attachments.ts loads them). */
export function toWireMessage(stored: StoredMessage, attachments?: Attachment[]): Message {
  const message: Message = {
    id: stored.id,
    sender: stored.sender,
    content: stored.content,
    created_at: stored.createdAt,
  };
  if (stored.clientId !== null) message.client_id = stored.clientId;
  if (stored.agentId !== null || stored.agentName !== null) {
    message.agent = { id: stored.agentId ?? 0, name: stored.agentName ?? "" };
  }
  if (attachments !== undefined && attachments.length > 0) message.attachments = attachments;
  if (stored.via !== undefined) message.via = stored.via;
  return message;
}

/**
 * `last_message` is the seed's preview text and is left out while there is no message (the seed
 * types it `last_message?: string`); the message itself goes in Parley's `latest_message`.
 */
export function toWireConversation(stored: StoredConversation, visitorOnline: boolean): Conversation {
  const last = stored.lastMessage;
  const files = stored.lastMessageFiles;
  return {
    id: stored.id,
    session_token: stored.visitorToken,
    visitor_name: stored.visitorName,
    unread_count: stored.unreadCount,
    ...(last === null
      ? {}
      : { last_message: previewText(last.content, files?.firstName ?? null, files?.count ?? 0) }),
    latest_message: last === null ? null : toWireMessage(last),
    updated_at: stored.updatedAt,
    created_at: stored.createdAt,
    status: stored.status,
    assignee_id: stored.assigneeId,
    visitor_online: visitorOnline,
    visitor_last_seen_at: visitorOnline ? null : stored.visitorLastSeenAt,
    site_id: stored.siteId,
    contact_id: stored.contactId,
    state: stored.state,
    snoozed_until: stored.state === "snoozed" ? stored.snoozedUntil : null,
    label_ids: stored.labelIds,
    rating: stored.rating === null ? null : toWireRating(stored.rating),
  };
}

/** (§18) The store checks the score is 1 to 5. */
export function toWireRating(stored: StoredRating): ConversationRating {
  return {
    score: stored.score as RatingScore,
    comment: stored.comment,
    agent_id: stored.agentId,
    rated_at: stored.ratedAt,
  };
}
