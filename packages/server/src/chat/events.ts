/**
 * What chat/ announces, and to whom: each method publishes one committed change on the streams
 * that must hear it. Channels turn these into frames; nothing here knows about sockets.
 */
import type { AgentRef, Attachment, Message } from "@parley/protocol";
import type { Broker } from "../broker/broker.js";
import { Signal } from "../signal.js";
import type { StoredConversation, StoredMessage } from "../store/store.js";
import type { Presence } from "./presence.js";
import { AGENTS_STREAM, visitorStream } from "./streams.js";
import { toWireConversation, toWireMessage } from "./toWire.js";

export class ChatEvents {
  /** The id of every message this process publishes, just before it goes to the broker. */
  readonly messagePublished = new Signal<number>();

  constructor(
    private readonly broker: Broker,
    private readonly presence: Presence,
  ) {}

  messagePosted(
    conversation: StoredConversation,
    stored: StoredMessage,
    attachments?: Attachment[],
  ): Promise<void> {
    return this.wireMessagePosted(conversation, toWireMessage(stored, attachments));
  }

  async wireMessagePosted(conversation: StoredConversation, message: Message): Promise<void> {
    this.messagePublished.emit(message.id);
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
      conversation: toWireConversation(
        conversation,
        (await this.presence.onlineVisitors([conversation.visitorToken])).has(conversation.visitorToken),
      ),
    });
  }

  async conversationDeleted(conversationId: number): Promise<void> {
    await this.broker.publish(AGENTS_STREAM, {
      type: "conversation_deleted",
      conversation_id: conversationId,
    });
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
}
