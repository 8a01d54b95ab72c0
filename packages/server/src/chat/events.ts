/**
 * What chat/ announces, and to whom: each method publishes one committed change on the streams
 * that must hear it. Channels turn these into frames; nothing here knows about sockets.
 */
import type {
  AdminEvent,
  AgentRef,
  Attachment,
  Contact,
  ConversationStatus,
  Message,
  PageView,
} from "@parley/protocol";
import { publication, type Broker, type Publication } from "../broker/broker.js";
import { Signal } from "../signal.js";
import type { StoredConversation, StoredMessage } from "../store/store.js";
import type { Presence } from "./presence.js";
import { AGENTS_STREAM, visitorStream } from "./streams.js";
import { toWireConversation, toWireMessage } from "./toWire.js";

/**
 * A change in a conversation told to outside systems (webhooks, protocol §13), by the process
 * that made it. A message posted again (a retried send, the store tail) is told again: listeners
 * key it by the message's id.
 */
export type ConversationHappening =
  | { type: "conversation.created"; conversation: StoredConversation }
  | { type: "message.created"; conversation: StoredConversation; message: Message }
  | {
      type: "conversation.status_changed";
      conversation: StoredConversation;
      previousStatus: ConversationStatus;
    }
  | { type: "conversation.assigned"; conversation: StoredConversation; previousAssigneeId: number | null };

/**
 * A browser's token became a verified contact (protocol §12, §13): told with the conversation
 * that token chats in on the contact's site, if it has one.
 */
export interface ContactIdentified {
  type: "contact.identified";
  contact: Contact;
  conversation: StoredConversation | null;
}

/** Everything told to outside systems, in one order (a conversation's events stay in order). */
export type Happening = ConversationHappening | ContactIdentified;

export class ChatEvents {
  /** The id of every message this process publishes, just before it goes to the broker. */
  readonly messagePublished = new Signal<number>();
  /** Committed changes, in the order they were made (webhooks/ listens). */
  readonly happened = new Signal<Happening>();

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
    this.happened.emit({ type: "message.created", conversation, message });
    await Promise.all([
      this.broker.publish(visitorStream(conversation.visitorToken), { type: "message", message }),
      this.toAgents(conversation, {
        type: "new_message",
        conversation_id: conversation.id,
        visitor_name: conversation.visitorName,
        message,
      }),
    ]);
  }

  async conversationChanged(conversation: StoredConversation): Promise<void> {
    await this.toAgents(conversation, {
      type: "conversation_updated",
      conversation: toWireConversation(
        conversation,
        (await this.presence.onlineVisitors([conversation.visitorToken])).has(conversation.visitorToken),
      ),
    });
  }

  /** A visitor's first message created the conversation; told before that message. */
  conversationStarted(conversation: StoredConversation): void {
    this.happened.emit({ type: "conversation.created", conversation });
  }

  /** A token became a verified contact (Contacts.identify says when). */
  contactIdentified(contact: Contact, conversation: StoredConversation | null): void {
    this.happened.emit({ type: "contact.identified", contact, conversation });
  }

  async statusChanged(conversation: StoredConversation, previousStatus: ConversationStatus): Promise<void> {
    this.happened.emit({ type: "conversation.status_changed", conversation, previousStatus });
    await this.conversationChanged(conversation);
  }

  /**
   * (§15) A state change: the seed's webhook `conversation.status_changed` only when the derived
   * status moved (resolved, or out of it); agents hear `conversation_updated` every time.
   */
  async stateChanged(conversation: StoredConversation, before: StoredConversation): Promise<void> {
    if (conversation.status !== before.status) await this.statusChanged(conversation, before.status);
    else await this.conversationChanged(conversation);
  }

  async assigneeChanged(conversation: StoredConversation, previousAssigneeId: number | null): Promise<void> {
    if (conversation.assigneeId !== previousAssigneeId) {
      this.happened.emit({ type: "conversation.assigned", conversation, previousAssigneeId });
    }
    await this.conversationChanged(conversation);
  }

  async conversationDeleted(conversation: StoredConversation): Promise<void> {
    await this.toAgents(conversation, {
      type: "conversation_deleted",
      conversation_id: conversation.id,
    });
  }

  async visitorTyping(
    conversation: Pick<StoredConversation, "id" | "siteId">,
    typing: boolean,
  ): Promise<void> {
    await this.toAgents(conversation, {
      type: "typing",
      conversation_id: conversation.id,
      typing,
      sender: "visitor",
    });
  }

  async agentTyping(conversation: StoredConversation, agent: AgentRef, typing: boolean): Promise<void> {
    await Promise.all([
      this.broker.publish(visitorStream(conversation.visitorToken), { type: "typing", typing, agent }),
      this.toAgents(conversation, {
        type: "typing",
        conversation_id: conversation.id,
        typing,
        sender: "admin",
        agent_id: agent.id,
      }),
    ]);
  }

  /** The visitor of the conversation opened a page (protocol §12): its site's agents hear it. */
  async visitorPage(conversation: StoredConversation, page: PageView): Promise<void> {
    await this.toAgents(conversation, { type: "visitor_page", conversation_id: conversation.id, page });
  }

  async readByAgent(conversation: StoredConversation, upToId: number): Promise<void> {
    await this.broker.publish(visitorStream(conversation.visitorToken), { type: "read", up_to_id: upToId });
  }

  /** On the agents' stream, addressed to the agents who answer the conversation's site. */
  private toAgents(conversation: Pick<StoredConversation, "siteId">, event: AdminEvent): Promise<void> {
    return this.broker.publish(AGENTS_STREAM, { type: "for_site", site_id: conversation.siteId, event });
  }
}

const unwrapped = new WeakMap<Publication, Publication>();

/**
 * What a publication on the agents' stream means to an agent: the event inside a `for_site`
 * envelope (with its site), or the publication itself. The inner event's JSON is made once per
 * publication on this node, however many agents' sockets it goes to.
 */
export function agentsEventOf(shared: Publication): { siteId: number | undefined; publication: Publication } {
  const { event } = shared;
  if (event.type !== "for_site") return { siteId: undefined, publication: shared };
  let inner = unwrapped.get(shared);
  if (inner === undefined) unwrapped.set(shared, (inner = publication(event.event)));
  return { siteId: event.site_id, publication: inner };
}
