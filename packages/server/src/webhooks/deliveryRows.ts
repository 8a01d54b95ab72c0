/**
 * One change's outbox rows: its event, in each subscribed webhook's format, with the wake of
 * the webhook's job that sends it.
 */
import { randomUUID } from "node:crypto";
import type { Happening } from "../chat/events.js";
import { toWireConversation } from "../chat/toWire.js";
import type { StoredConversation } from "../store/store.js";
import type { NewWebhookDeliveryAndWake, StoredWebhook } from "../store/webhookStore.js";
import { deliveryWake } from "./jobKind.js";
import { bodyFor, contactIdentifiedEvent, parleyEvent } from "./payloads.js";

/** A change with the webhooks that take it (enabled, subscribed, in a format it has). */
export interface Subscribed {
  happening: Happening;
  webhooks: StoredWebhook[];
}

/** What a batch knows of its conversations. */
export interface ConversationsNow {
  /** Each conversation of the batch as read now; missing when it is gone. */
  stored: Map<number, StoredConversation>;
  /** The visitor tokens of those connected now. */
  online: Set<string>;
}

export function deliveryRows(
  { happening, webhooks }: Subscribed,
  conversations: ConversationsNow,
  now: Date,
): NewWebhookDeliveryAndWake[] {
  if (webhooks.length === 0) return [];
  const at = now.toISOString();
  const id = randomUUID();
  if (happening.type === "contact.identified") {
    // With its conversation's events when the token has one (so in order with them), else with
    // the contact's other events about no conversation.
    const conversationId = happening.conversation?.id ?? null;
    const contactId = conversationId === null ? happening.contact.id : null;
    const payload = JSON.stringify(contactIdentifiedEvent(happening, { id, createdAt: at }));
    return webhooks.map((webhook) => ({
      delivery: {
        webhookId: webhook.id,
        eventId: id,
        eventKey: `${happening.type}:${id}`,
        eventType: happening.type,
        conversationId,
        contactId,
        payload,
        at,
      },
      wake: deliveryWake(webhook.id, at),
    }));
  }
  const conversationId = happening.conversation.id;
  const stored = conversations.stored.get(conversationId) ?? happening.conversation;
  const conversation = toWireConversation(stored, conversations.online.has(stored.visitorToken));
  const event = parleyEvent(happening, conversation, { id, createdAt: at });
  const eventKey =
    happening.type === "message.created"
      ? `message.created:${happening.message.id}`
      : happening.type === "conversation.created"
        ? `conversation.created:${conversationId}`
        : `${happening.type}:${id}`;
  return webhooks.flatMap((webhook) => {
    const payload = bodyFor(webhook.format, happening, conversation, event);
    if (payload === undefined) return [];
    return [
      {
        delivery: {
          webhookId: webhook.id,
          eventId: id,
          eventKey,
          eventType: happening.type,
          conversationId,
          contactId: null,
          payload,
          at,
        },
        wake: deliveryWake(webhook.id, at),
      },
    ];
  });
}
