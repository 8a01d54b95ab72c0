/**
 * The inbox's one live connection: the shared cable client from @parley/protocol subscribed to
 * AdminChannel. It reports what the app must react to: events, (re)confirmation (the moment to
 * resend and refresh), the connection's state, and the session being refused for good.
 */
import {
  ADMIN_CHANNEL,
  CABLE_PATH,
  CableConsumer,
  type AdminAction,
  type AdminEvent,
  type CableSubscription,
  type CreateSocket,
} from "@parley/protocol";
import { asAdminEvent } from "./adminEvents.js";

export type LinkStatus = "connecting" | "connected" | "reconnecting" | "closed";

/** unauthorized: the server ended the session. rejected: AdminChannel refused us. closed: unusable. */
export type Refusal = "unauthorized" | "rejected" | "closed";

export interface AdminLinkHandlers {
  event(event: AdminEvent): void;
  /** The subscription is confirmed; `reconnected` after a drop (catch-up events follow). */
  connected(reconnected: boolean): void;
  status(status: LinkStatus): void;
  refused(why: Refusal): void;
}

export function cableUrl(location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${CABLE_PATH}`;
}

export class AdminLink {
  readonly #consumer: CableConsumer;
  readonly #handlers: AdminLinkHandlers;
  #subscription: CableSubscription | null = null;
  #stopped = false;

  constructor(handlers: AdminLinkHandlers, options: { url: string; createSocket?: CreateSocket }) {
    this.#handlers = handlers;
    this.#consumer = new CableConsumer({
      url: options.url,
      ...(options.createSocket === undefined ? {} : { createSocket: options.createSocket }),
      onStateChange: (state, reason) => {
        if (this.#stopped) return;
        if (state === "connecting" || state === "reconnecting") handlers.status(state);
        if (state === "closed") {
          handlers.status("closed");
          handlers.refused(reason === "unauthorized" ? "unauthorized" : "closed");
        }
      },
    });
  }

  start(): void {
    this.#subscribe(0);
  }

  /** Sends an action; false when not connected (the caller decides whether to keep it for later). */
  perform(action: AdminAction): boolean {
    const { action: name, ...data } = action;
    return this.#subscription?.perform(name, data) ?? false;
  }

  /** Records a message id we hold: the next resubscribe asks for everything after the highest. */
  seen(id: number): void {
    this.#subscription?.seen(id);
  }

  get since(): number {
    return this.#subscription?.since ?? 0;
  }

  get connected(): boolean {
    return this.#subscription?.confirmed ?? false;
  }

  reconnectNow(): void {
    this.#consumer.reconnectNow();
  }

  /** After a rejection that was not about the session (checked by the caller): try again. */
  resubscribe(): void {
    if (!this.#stopped) this.#subscribe(this.since);
  }

  stop(): void {
    this.#stopped = true;
    this.#subscription?.unsubscribe();
    this.#consumer.close();
  }

  #subscribe(since: number): void {
    // `since` in the params as well as in seen(): a consumer that is already connected sends the
    // subscribe at once, before seen() could raise it.
    const subscription = this.#consumer.subscribe(
      since > 0 ? { channel: ADMIN_CHANNEL, since } : { channel: ADMIN_CHANNEL },
      {
        received: (data) => {
          const event = asAdminEvent(data);
          if (event !== null && !this.#stopped) this.#handlers.event(event);
        },
        connected: ({ reconnected }) => {
          this.#handlers.status("connected");
          this.#handlers.connected(reconnected);
        },
        disconnected: () => this.#handlers.status("reconnecting"),
        rejected: () => this.#handlers.refused("rejected"),
      },
    );
    subscription.seen(since);
    this.#subscription = subscription;
  }
}
