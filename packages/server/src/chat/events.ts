/**
 * What chat/ announces, and to whom: each method publishes one committed change on the streams
 * that must hear it. Channels turn these into frames; nothing here knows about sockets.
 */
import type { AgentRef } from "@parley/protocol";
import type { Broker } from "../broker/broker.js";
import type { StoredConversation, StoredMessage } from "../store/store.js";
import type { Presence } from "./presence.js";
import { AGENTS_STREAM, AVAILABILITY_STREAM, visitorStream } from "./streams.js";
import { toWireConversation, toWireMessage } from "./toWire.js";

export class ChatEvents {
  constructor(
    private readonly broker: Broker,
    private readonly presence: Presence,
  ) {}

  async messagePosted(conversation: StoredConversation, stored: StoredMessage): Promise<void> {
    const message = toWireMessage(stored);
    await Promise.all([
      this.broker.publish(visitorStream(conversation.visitorToken), { type: "message", message }),
      this.broker.publish(AGENTS_STREAM, {
        type: "new_message",
        conversation_id: conversation.id,
        visitor_name: conversation.visitorName,
        message,
      }),
    ]);
  }

  async conversationChanged(conversation: StoredConversation): Promise<void> {
    await this.broker.publish(AGENTS_STREAM, {
      type: "conversation_updated",
      conversation: toWireConversation(conversation, this.presence.isVisitorOnline(conversation.visitorToken)),
    });
  }

  async conversationDeleted(conversationId: number): Promise<void> {
    await this.broker.publish(AGENTS_STREAM, { type: "conversation_deleted", conversation_id: conversationId });
  }

  async visitorTyping(conversationId: number, typing: boolean): Promise<void> {
    await this.broker.publish(AGENTS_STREAM, {
      type: "typing",
      conversation_id: conversationId,
      typing,
      sender: "visitor",
    });
  }

  async agentTyping(conversation: StoredConversation, agent: AgentRef, typing: boolean): Promise<void> {
    await Promise.all([
      this.broker.publish(visitorStream(conversation.visitorToken), { type: "typing", typing, agent }),
      this.broker.publish(AGENTS_STREAM, {
        type: "typing",
        conversation_id: conversation.id,
        typing,
        sender: "admin",
        agent_id: agent.id,
      }),
    ]);
  }

  async readByAgent(conversation: StoredConversation, upToId: number): Promise<void> {
    await this.broker.publish(visitorStream(conversation.visitorToken), { type: "read", up_to_id: upToId });
  }

  async availabilityChanged(online: boolean): Promise<void> {
    await this.broker.publish(AVAILABILITY_STREAM, { type: "availability", online });
  }
}
