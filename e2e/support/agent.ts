/**
 * An agent played by the stock `@rails/actioncable` client, unchanged, as a Rails app's inbox
 * would use it: that is the compatibility promise of PROTOCOL.md. Node lacks what the stock
 * client expects of a browser, so it gets `ws` (with the login cookie and an Origin header) as
 * its WebSocket and no-op window listeners.
 */
import { adapters, createConsumer, type Consumer, type Subscription } from "@rails/actioncable";
import WebSocket from "ws";
import { ADMIN_CHANNEL, type AdminAction, type AdminEvent } from "@parley/protocol";
import { closeConsumer, trackConsumer } from "./openConsumers.js";
import { OWNER } from "./parley.js";
import { waitFor } from "./wait.js";

/** Headers for each agent's sockets, by the per-agent URL its consumer connects to. */
const headersByUrl = new Map<string, Record<string, string>>();

class HeaderWebSocket extends WebSocket {
  constructor(url: string, protocols: string[]) {
    super(url, protocols, { headers: headersByUrl.get(url) ?? {} });
  }
}

function installNodeShims(): void {
  // `ws` stands in for the DOM WebSocket the typings expect; the stock client only uses the common part.
  (adapters as { WebSocket: unknown }).WebSocket = HeaderWebSocket;
  const global = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
  // The stock client's connection monitor listens for `visibilitychange` on window.
  global.addEventListener ??= () => undefined;
  global.removeEventListener ??= () => undefined;
}

export async function login(serverUrl: string, credentials = OWNER): Promise<string> {
  const response = await fetch(`${serverUrl}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: serverUrl },
    body: JSON.stringify(credentials),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}

export interface Agent {
  readonly events: AdminEvent[];
  readonly consumer: Consumer;
  readonly subscription: Subscription;
  /** The first event of `type` (after index `from`) that `match` accepts. */
  next<T extends AdminEvent["type"]>(
    type: T,
    match?: (event: Extract<AdminEvent, { type: T }>) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<Extract<AdminEvent, { type: T }>>;
  perform(action: AdminAction): void;
  close(): void;
}

let agentCount = 0;

export async function connectAgent(serverUrl: string, credentials = OWNER): Promise<Agent> {
  installNodeShims();
  const cookie = await login(serverUrl, credentials);
  const url = `${serverUrl.replace(/^http/, "ws")}/cable?agent=${++agentCount}`;
  headersByUrl.set(url, { cookie, origin: serverUrl });
  const consumer = trackConsumer(createConsumer(url));
  const events: AdminEvent[] = [];
  let confirmed = false;
  const subscription = consumer.subscriptions.create(
    { channel: ADMIN_CHANNEL },
    {
      received: (data: unknown) => events.push(data as AdminEvent),
      connected: () => (confirmed = true),
    },
  );
  await waitFor("the AdminChannel subscription", () => confirmed);
  return {
    events,
    consumer,
    subscription,
    next(type, match = () => true, { from = 0, timeoutMs = 10_000 } = {}) {
      type Wanted = Extract<AdminEvent, { type: typeof type }>;
      return waitFor(
        `agent event ${type}`,
        () =>
          events.slice(from).find((event): event is Wanted => event.type === type && match(event as Wanted)),
        timeoutMs,
      );
    },
    perform({ action, ...data }) {
      subscription.perform(action, data);
    },
    close() {
      closeConsumer(consumer);
      headersByUrl.delete(url);
    },
  };
}
