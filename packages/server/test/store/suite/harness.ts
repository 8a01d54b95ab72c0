/** What every part of the shared store suite needs: a fresh store per test, clocks, seed data. */
import type { Store, StoredConversation } from "../../../src/store/store.js";
import type { NewWebhookDeliveryAndWake } from "../../../src/store/webhookStore.js";

/** Opens a migrated store on an empty database of its own. The test closes it. */
export type StoreFactory = () => Promise<Store>;

export async function withStore(fresh: StoreFactory, run: (store: Store) => Promise<void>): Promise<void> {
  const store = await fresh();
  try {
    await run(store);
  } finally {
    await store.close();
  }
}

const EPOCH = Date.UTC(2024, 0, 1);

/** A distinct, sortable ISO timestamp: `at(0)` is 2024-01-01T00:00:00.000Z, one second per step. */
export function at(seconds: number): string {
  return new Date(EPOCH + seconds * 1000).toISOString();
}

let tokenCounter = 0;

/** A token shaped like the widget's (16–128 of [A-Za-z0-9_-]), unique within the run. */
export function newToken(): string {
  tokenCounter += 1;
  return `visitor-token-${String(tokenCounter).padStart(6, "0")}`;
}

export async function newConversation(
  store: Store,
  options: { at?: string; visitorName?: string | null; ip?: string | null; siteId?: number } = {},
): Promise<StoredConversation> {
  const { conversation } = await store.createConversation({
    token: newToken(),
    visitorName: options.visitorName ?? null,
    createdIp: options.ip ?? null,
    siteId: options.siteId ?? (await store.getDefaultSite()).id,
    at: options.at ?? at(0),
  });
  return conversation;
}

export function visitorMessage(
  conversationId: number,
  content: string,
  when: string,
  clientId: string | null = null,
) {
  return {
    conversationId,
    sender: "visitor" as const,
    content,
    clientId,
    agentId: null,
    agentName: null,
    at: when,
  };
}

export function agentMessage(
  conversationId: number,
  content: string,
  when: string,
  agent: { id: number; name: string },
) {
  return {
    conversationId,
    sender: "admin" as const,
    content,
    clientId: null,
    agentId: agent.id,
    agentName: agent.name,
    at: when,
  };
}

export async function newAgent(store: Store, username: string, when = at(0)) {
  return store.createAgent({
    username,
    name: `Agent ${username}`,
    role: "agent",
    passwordHash: `hash-of-${username}`,
    at: when,
  });
}

/** A webhook on the default site that takes message.created, enabled. */
export async function newWebhook(store: Store) {
  return store.createWebhook({
    siteId: (await store.getDefaultSite()).id,
    url: "https://example.com/hook",
    events: ["message.created"],
    format: "parley",
    secret: "s",
    enabled: true,
    at: at(0),
  });
}

/** An outbox row as the producer stores it: the delivery and the wake of its (webhook, conversation). */
export function outboxRow(
  webhookId: number,
  conversationId: number | null,
  eventKey: string,
  contactId: number | null = null,
): NewWebhookDeliveryAndWake {
  const pair = `webhook.deliver:${webhookId}:${conversationId}`;
  return {
    delivery: {
      webhookId,
      eventId: `id-${eventKey}`,
      eventKey,
      eventType: conversationId === null ? "contact.identified" : "message.created",
      conversationId,
      contactId,
      payload: JSON.stringify({ eventKey }),
      at: at(1),
    },
    wake: { kind: "webhook.deliver", payload: pair, runAt: at(1), dedupeKey: pair, at: at(1) },
  };
}
