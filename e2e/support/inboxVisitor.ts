/**
 * A visitor played by the stock `@rails/actioncable` client, unchanged, with its token on the
 * URL as the seed's widget did: the other side of the inbox tests. The client takes Node's own
 * WebSocket (a global since Node 22), as it takes the browser's.
 */
import { randomUUID } from "node:crypto";
import { createConsumer, type Consumer, type Subscription } from "@rails/actioncable";
import { VISITOR_CHANNEL, type Message, type VisitorEvent } from "@parley/protocol";
import { closeConsumer, trackConsumer } from "./openConsumers.js";
import { waitFor } from "./wait.js";

function installNodeShims(): void {
  const global = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
  global.addEventListener ??= () => undefined;
  global.removeEventListener ??= () => undefined;
}

export interface StockVisitor {
  readonly token: string;
  readonly events: VisitorEvent[];
  send(content: string): void;
  typing(typing: boolean): void;
  /** The §18 `rate` action, as the widget's rating card sends it. */
  rate(score: 1 | 2 | 3 | 4 | 5, comment?: string): void;
  /** Every message received so far, by id (history and live), oldest first. */
  messages(): Message[];
  next<T extends VisitorEvent["type"]>(
    type: T,
    match?: (event: Extract<VisitorEvent, { type: T }>) => boolean,
    timeoutMs?: number,
  ): Promise<Extract<VisitorEvent, { type: T }>>;
  close(): void;
}

export async function connectVisitor(
  serverUrl: string,
  name: string,
  token = `visitor-${randomUUID()}`,
  /** Resubscribe from this message id, as a returning widget does (§4). */
  options: { since?: number } = {},
): Promise<StockVisitor> {
  installNodeShims();
  const url = `${serverUrl.replace(/^http/, "ws")}/cable?token=${encodeURIComponent(token)}`;
  const consumer: Consumer = trackConsumer(createConsumer(url));
  const events: VisitorEvent[] = [];
  let confirmed = false;
  const subscription: Subscription = consumer.subscriptions.create(
    { channel: VISITOR_CHANNEL, ...(options.since === undefined ? {} : { since: options.since }) },
    {
      received: (data: unknown) => events.push(data as VisitorEvent),
      connected: () => (confirmed = true),
    },
  );
  await waitFor("the VisitorChannel subscription", () => confirmed);
  return {
    token,
    events,
    send: (content) => void subscription.perform("send_message", { content, visitor_name: name }),
    typing: (typing) => void subscription.perform("typing", { typing }),
    rate: (score, comment) =>
      void subscription.perform("rate", { score, ...(comment === undefined ? {} : { comment }) }),
    messages() {
      const byId = new Map<number, Message>();
      for (const event of events) {
        if (event.type === "history") for (const message of event.messages) byId.set(message.id, message);
        if (event.type === "message") byId.set(event.message.id, event.message);
      }
      return [...byId.values()].sort((a, b) => a.id - b.id);
    },
    next(type, match = () => true, timeoutMs = 10_000) {
      type Wanted = Extract<VisitorEvent, { type: typeof type }>;
      return waitFor(
        `visitor event ${type}`,
        () => events.find((event): event is Wanted => event.type === type && match(event as Wanted)),
        timeoutMs,
      );
    },
    close: () => closeConsumer(consumer),
  };
}
