/**
 * A small ActionCable-compatible consumer for browsers (PROTOCOL.md §1): one WebSocket, any
 * number of channel subscriptions, pings watched for staleness, and reconnects with jittered
 * backoff that resubscribe every channel with `since`. It knows nothing of any channel.
 * The browser's own hints skip the backoff: the network coming back (`online`) and the tab
 * being shown again (`visibilitychange`; hidden tabs have their timers slowed to a crawl).
 */
import { CABLE_SUBPROTOCOLS, type ClientFrame, type DisconnectReason } from "../wire.js";
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from "./backoff.js";
import { parseServerFrame } from "./frames.js";
import { browserSocket, SOCKET_OPEN, type CableSocket, type CreateSocket } from "./socket.js";
import { CableSubscription, type SubscriptionHandlers, type SubscriptionHost } from "./subscription.js";

/**
 * idle: nothing opened yet. connecting: first attempt. connected: welcomed by the server.
 * reconnecting: lost, retrying with backoff. closed: for good (closed by the caller, refused by
 * the server with `reconnect: false`, or an unsupported protocol).
 */
export type CableState = "idle" | "connecting" | "connected" | "reconnecting" | "closed";

/** Two missed pings (sent every 3 s) mean the connection is dead even if TCP has not noticed. */
export const STALE_AFTER_MS = 6000;

export interface CableOptions {
  /** `ws://` or `wss://` URL of `/cable`; a function is called at every connect. */
  url: string | (() => string);
  createSocket?: CreateSocket;
  staleAfterMs?: number;
  backoff?: BackoffOptions;
  onStateChange?: (state: CableState, reason?: DisconnectReason) => void;
  /**
   * Where the wake-up hints come from: `online` on `window`, `visibilitychange` on `document`.
   * The browser's own by default (none outside a browser); tests pass their own.
   */
  wake?: WakeSources;
}

type Listenable = Pick<EventTarget, "addEventListener" | "removeEventListener">;

export interface WakeSources {
  window?: Listenable;
  document?: Listenable & { readonly visibilityState?: string };
}

function browserWake(): WakeSources {
  const scope = globalThis as Partial<Listenable> & { document?: WakeSources["document"] };
  const wake: WakeSources = {};
  if (typeof scope.addEventListener === "function") wake.window = scope as Listenable;
  if (scope.document) wake.document = scope.document;
  return wake;
}

export class CableConsumer implements SubscriptionHost {
  state: CableState = "idle";
  #socket: CableSocket | null = null;
  readonly #subscriptions = new Set<CableSubscription>();
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #staleTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the current outage began (the first loss since the last welcome). */
  #downSince: number | undefined;
  /** When the server last said anything: a tab woken from sleep may hold a dead socket. */
  #heardAt = 0;
  readonly #wake: WakeSources;
  readonly #onWake = (): void => {
    if (this.#wake.document?.visibilityState === "hidden") return;
    if (this.state === "connected" && Date.now() - this.#heardAt > this.#staleAfterMs) this.#lost();
    this.reconnectNow();
  };

  readonly #options: CableOptions;

  constructor(options: CableOptions) {
    this.#options = options;
    this.#wake = options.wake ?? browserWake();
  }

  get #staleAfterMs(): number {
    return this.#options.staleAfterMs ?? STALE_AFTER_MS;
  }

  subscribe(params: Readonly<Record<string, unknown>>, handlers: SubscriptionHandlers): CableSubscription {
    const subscription = new CableSubscription(this, params, handlers);
    this.#subscriptions.add(subscription);
    if (this.state === "connected") this.#sendSubscribe(subscription);
    else this.connect();
    return subscription;
  }

  /** Opens the connection if it is not open or opening; subscribe() calls it for you. */
  connect(): void {
    if (this.state !== "idle") return;
    this.#wake.window?.addEventListener("online", this.#onWake);
    this.#wake.document?.addEventListener("visibilitychange", this.#onWake);
    this.#setState("connecting");
    this.#open();
  }

  /** Skips the current backoff wait, e.g. when the browser says the network is back. */
  reconnectNow(): void {
    if (this.state !== "reconnecting" || this.#socket) return;
    clearTimeout(this.#retryTimer);
    this.#open();
  }

  close(): void {
    this.#shutdown();
    this.#setState("closed");
  }

  send(frame: ClientFrame): boolean {
    if (!this.#socket || this.#socket.readyState !== SOCKET_OPEN) return false;
    this.#socket.send(JSON.stringify(frame));
    return true;
  }

  forget(subscription: CableSubscription): void {
    this.#subscriptions.delete(subscription);
  }

  #open(): void {
    const { url, createSocket = browserSocket } = this.#options;
    let socket: CableSocket;
    try {
      socket = createSocket(typeof url === "function" ? url() : url, [...CABLE_SUBPROTOCOLS]);
    } catch {
      this.#lost();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      // The server picking "actioncable-unsupported" means it cannot speak to us; retrying won't help.
      if (socket.protocol === "actioncable-unsupported") this.close();
    };
    socket.onmessage = (event) => this.#receive(event.data);
    socket.onclose = () => this.#lost();
    socket.onerror = () => undefined;
    this.#watchStaleness();
  }

  #receive(data: unknown): void {
    if (typeof data !== "string") return;
    const frame = parseServerFrame(data);
    if (!frame) return;
    this.#watchStaleness();
    if ("identifier" in frame) {
      for (const subscription of [...this.#subscriptions]) {
        if (subscription.identifier !== frame.identifier) continue;
        if ("message" in frame) subscription.handlers.received?.(frame.message);
        else if (frame.type === "confirm_subscription") subscription.confirm();
        else {
          this.forget(subscription);
          subscription.handlers.rejected?.();
        }
      }
      return;
    }
    switch (frame.type) {
      case "welcome":
        this.#attempt = 0;
        this.#downSince = undefined;
        this.#setState("connected");
        for (const subscription of this.#subscriptions) this.#sendSubscribe(subscription);
        return;
      case "ping":
        return;
      case "disconnect":
        if (frame.reconnect) this.#lost(frame.reason);
        else {
          this.#shutdown();
          this.#setState("closed", frame.reason);
        }
        return;
    }
  }

  #sendSubscribe(subscription: CableSubscription): void {
    this.send({ command: "subscribe", identifier: subscription.nextIdentifier() });
  }

  /** The socket is gone or about to be: tell the subscriptions and plan the next attempt. */
  #lost(reason?: DisconnectReason): void {
    if (this.state === "closed") return;
    this.#dropSocket();
    for (const subscription of this.#subscriptions) {
      const wasConfirmed = subscription.confirmed;
      subscription.confirmed = false;
      if (wasConfirmed) subscription.handlers.disconnected?.();
    }
    const now = Date.now();
    this.#downSince ??= now;
    const options = this.#options.backoff ?? DEFAULT_BACKOFF;
    const delay = backoffDelay(this.#attempt++, options, Math.random, now - this.#downSince);
    this.#setState("reconnecting", reason);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  #watchStaleness(): void {
    this.#heardAt = Date.now();
    clearTimeout(this.#staleTimer);
    this.#staleTimer = setTimeout(() => this.#lost(), this.#staleAfterMs);
  }

  #dropSocket(): void {
    clearTimeout(this.#staleTimer);
    const socket = this.#socket;
    this.#socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    // Closing a socket that is still connecting throws in some browsers; it is dropped either way.
    try {
      socket.close();
    } catch {
      /* already unusable */
    }
  }

  #shutdown(): void {
    clearTimeout(this.#retryTimer);
    this.#wake.window?.removeEventListener("online", this.#onWake);
    this.#wake.document?.removeEventListener("visibilitychange", this.#onWake);
    this.#dropSocket();
    for (const subscription of this.#subscriptions) subscription.confirmed = false;
  }

  #setState(state: CableState, reason?: DisconnectReason): void {
    if (this.state === state && state !== "reconnecting") return;
    this.state = state;
    this.#options.onStateChange?.(state, reason);
  }
}
