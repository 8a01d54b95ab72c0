/**
 * The visitor's live session: one `VisitorChannel` subscription (token in the identifier, never
 * in the URL), sends that survive disconnects, and the server's events turned into calls on a
 * listener. Unsent messages are sent again with the same `client_id` whenever the subscription
 * is (re)confirmed, so a flaky network can delay a message but never duplicate it. A message
 * written while disconnected just waits ("Sending…"): only one the server was given and did not
 * answer reads "Not sent".
 */
import {
  CableConsumer,
  TYPING_EXPIRY_MS,
  VISITOR_CHANNEL,
  type AgentRef,
  type Attachment,
  type CableState,
  type CableSubscription,
  type CreateSocket,
  type Message,
  type VisitorEvent,
  type WidgetConfig,
} from "@parley/protocol";
import { Conversation, type ChatMessage, type Received } from "./conversation.js";
import { newClientId } from "./ids.js";

export interface SessionListener {
  /** The list of messages changed (added, confirmed, failed, retried). */
  changed(): void;
  /** A message arrived live or in a catch-up, not in the first history. */
  arrived(message: ChatMessage, how: Received): void;
  availability(online: boolean): void;
  /** An agent is typing (`agent` given) or stopped (undefined). */
  typing(agent: AgentRef | undefined): void;
  connection(state: CableState): void;
  /** The subscription is lost until the connection comes back. */
  disconnected(): void;
  tooFast(retryAfterMs: number): void;
  /** The server's name for the visitor, from the history. */
  visitorName(name: string | null): void;
  /** The site's settings, hours or availability changed (§10). */
  siteUpdated(config: Partial<WidgetConfig>): void;
  /** (§18) A rating is asked (`rating_requested`, or pending in `history`) or was given (`rated`). */
  rating(event: VisitorEvent, send: (data: Record<string, unknown>) => void): void;
}

export interface SessionOptions {
  /** The site's key (§10), sent in the identifier; none: the default site, as before sites. */
  site?: string | undefined;
  createSocket?: CreateSocket;
}

/**
 * The newest messages the first history brings. The widget asks explicitly: without `limit` the
 * server sends the whole conversation up to its cap, as the seed's server did for its clients.
 */
export const HISTORY_LIMIT = 500;
/**
 * A send the server was given and has not echoed by then shows a retry; it is still sent again
 * on the next reconnect. Sends that could not go out (disconnected) wait without a deadline.
 */
export const FAIL_AFTER_MS = 10_000;
const TYPING_REFRESH_MS = 2000;

export class Session {
  readonly conversation = new Conversation();
  #consumer: CableConsumer | undefined;
  #subscription: CableSubscription | undefined;
  readonly #failTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #typingSentAt = 0;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;

  readonly #cableUrl: string;
  /** Also what authenticates the visitor's uploads (X-Visitor-Token). */
  readonly token: string;
  readonly #visitorName: () => string | null;
  readonly #listener: SessionListener;
  readonly #options: SessionOptions;

  constructor(
    cableUrl: string,
    token: string,
    visitorName: () => string | null,
    listener: SessionListener,
    options: SessionOptions = {},
  ) {
    this.#cableUrl = cableUrl;
    this.token = token;
    this.#visitorName = visitorName;
    this.#listener = listener;
    this.#options = options;
  }

  get started(): boolean {
    return this.#consumer !== undefined;
  }

  start(): void {
    if (this.#consumer) return;
    const { site, createSocket } = this.#options;
    this.#consumer = new CableConsumer({
      url: this.#cableUrl,
      ...(createSocket ? { createSocket } : {}),
      onStateChange: (state) => this.#listener.connection(state),
    });
    this.#subscription = this.#consumer.subscribe(
      { channel: VISITOR_CHANNEL, token: this.token, limit: HISTORY_LIMIT, ...(site ? { site } : {}) },
      {
        received: (data) => this.#receive(data),
        connected: () => {
          // Every (re)subscribe says where the visitor is, for the agents' context (§12); empty
          // strings are left out (JSON drops undefined).
          this.#subscription?.perform("page", {
            url: location.href,
            title: document.title || undefined,
            referrer: document.referrer || undefined,
            time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          });
          this.#flush();
        },
        disconnected: () => this.#pause(),
      },
    );
  }

  /** Ends the connection for good: the visitor goes on with another token (identify). */
  stop(): void {
    this.#pause();
    this.#consumer?.close();
  }

  /** `attachments`: files already uploaded; the message carries their ids. */
  send(content: string, attachments?: Attachment[]): void {
    this.start();
    const message = this.conversation.addPending(content, newClientId(), new Date(), attachments);
    this.#typingSentAt = 0;
    this.#transmit(message);
  }

  retry(clientId: string): void {
    const message = this.conversation.setDelivery(clientId, "pending");
    if (message) this.#transmit(message);
  }

  /** Tells agents the visitor is typing, at most every 2 s; `false` once when they stop. */
  typing(active: boolean): void {
    const now = Date.now();
    if (active && now - this.#typingSentAt > TYPING_REFRESH_MS) {
      if (this.#subscription?.perform("typing", { typing: true })) this.#typingSentAt = now;
    } else if (!active && this.#typingSentAt > 0) {
      this.#typingSentAt = 0;
      this.#subscription?.perform("typing", { typing: false });
    }
  }

  #transmit(message: ChatMessage): void {
    const clientId = message.clientId;
    if (!clientId) return;
    this.conversation.setDelivery(clientId, "pending");
    this.#listener.changed();
    const name = this.#visitorName();
    const given = this.#subscription?.perform("send_message", {
      content: message.content,
      client_id: clientId,
      ...(name ? { visitor_name: name } : {}),
      ...(message.attachments ? { attachment_ids: message.attachments.map((file) => file.id) } : {}),
    });
    clearTimeout(this.#failTimers.get(clientId));
    this.#failTimers.delete(clientId);
    // Not connected: it waits for the next (re)connection, which sends it (#flush).
    if (given)
      this.#failTimers.set(
        clientId,
        setTimeout(() => this.#fail(clientId), FAIL_AFTER_MS),
      );
  }

  /** The line dropped: what was in flight is sent again on reconnect, so it does not fail now. */
  #pause(): void {
    for (const timer of this.#failTimers.values()) clearTimeout(timer);
    this.#failTimers.clear();
    this.#listener.disconnected();
  }

  #fail(clientId: string): void {
    this.#failTimers.delete(clientId);
    if (this.conversation.setDelivery(clientId, "failed")) this.#listener.changed();
  }

  #flush(): void {
    for (const message of this.conversation.unsent()) this.#transmit(message);
  }

  #receive(data: unknown): void {
    if (typeof data !== "object" || data === null || typeof (data as { type?: unknown }).type !== "string")
      return;
    const event = data as VisitorEvent;
    switch (event.type) {
      case "history":
        if (!Array.isArray(event.messages)) return;
        this.#listener.visitorName(event.conversation?.visitor_name ?? null);
        // The first history is the past; a history answering `since` is what we missed.
        for (const message of event.messages) this.#store(message, event.since !== undefined);
        this.#listener.changed();
        if (event.conversation?.rating_requested) this.#rating(event);
        return;
      case "rating_requested":
      case "rated":
        this.#rating(event);
        return;
      case "message":
        if (this.#store(event.message, true)) this.#listener.changed();
        return;
      case "too_fast":
        if (event.client_id) this.#fail(event.client_id);
        this.#listener.tooFast(event.retry_after_ms);
        return;
      case "error":
        if (event.client_id) this.#fail(event.client_id);
        return;
      case "typing":
        clearTimeout(this.#typingTimer);
        this.#listener.typing(event.typing ? (event.agent ?? { id: 0, name: "" }) : undefined);
        // A `true` that is never followed by `false` (agent's tab closed) expires on its own.
        if (event.typing)
          this.#typingTimer = setTimeout(() => this.#listener.typing(undefined), TYPING_EXPIRY_MS);
        return;
      case "availability":
        this.#listener.availability(event.online);
        return;
      case "site_updated":
        if (typeof event.config === "object" && event.config !== null)
          this.#listener.siteUpdated(event.config);
        return;
      case "read":
        return;
    }
  }

  #rating(event: VisitorEvent): void {
    this.#listener.rating(event, (data) => this.#subscription?.perform("rate", data));
  }

  /** Keeps a stored message once; true when it changed what the visitor sees. */
  #store(message: Message | undefined, live: boolean): boolean {
    if (!message || typeof message.id !== "number") return false;
    const { how, held } = this.conversation.receive(message);
    if (!held) return false;
    this.#subscription?.seen(message.id);
    if (message.client_id) {
      clearTimeout(this.#failTimers.get(message.client_id));
      this.#failTimers.delete(message.client_id);
    }
    if (message.sender === "admin") {
      clearTimeout(this.#typingTimer);
      this.#listener.typing(undefined);
    }
    if (live) this.#listener.arrived(held, how);
    return true;
  }
}
