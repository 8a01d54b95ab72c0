/** Stored rows → the wire shapes of protocol §5. */
import type { Attachment, Conversation, Message } from "@parley/protocol";
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
  return message;
}

export function toWireConversation(stored: StoredConversation, visitorOnline: boolean): Conversation {
  return {
    id: stored.id,
    session_token: stored.visitorToken,
    visitor_name: stored.visitorName,
    unread_count: stored.unreadCount,
    last_message: stored.lastMessage === null ? null : toWireMessage(stored.lastMessage),
    updated_at: stored.updatedAt,
    created_at: stored.createdAt,
    status: stored.status,
    assignee_id: stored.assigneeId,
    visitor_online: visitorOnline,
    visitor_last_seen_at: visitorOnline ? null : stored.visitorLastSeenAt,
  };
}
