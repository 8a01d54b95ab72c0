/**
 * The seam between the protocol and the application: cable/ routes `subscribe` and `message`
 * frames to channels by name and knows nothing else about them.
 */
import type { Logger } from "pino";
import type { Disconnect } from "./disconnects.js";

export interface SubscriptionContext<Identity> {
  /** Who the connection authenticated as (whatever the server's `authenticate` returned). */
  readonly identity: Identity;
  /** The identifier's JSON object, e.g. {channel: "VisitorChannel", since: 41}. */
  readonly params: Record<string, unknown>;
  readonly remoteAddress: string;
  /** Bound to the connection (its id, who it is) and the channel: for what this subscription logs. */
  readonly logger: Logger;
  /** Sends `{identifier, message}` to this subscription. */
  transmit(message: unknown): void;
  /** The same, for a message already serialised (fan-out serialises once for all receivers). */
  transmitJson(messageJson: string): void;
  /** Closes the whole connection. */
  disconnect(why: Disconnect): void;
}

export interface Subscription {
  /** A `message` frame: `data` is the decoded action object (with its `action` field). */
  perform(data: Record<string, unknown>): Promise<void>;
  /** The client unsubscribed or the connection closed. Never throws. */
  unsubscribed(): void;
}

export interface Channel<Identity> {
  /** Resolves to the subscription, or null to reject it (`reject_subscription`). */
  subscribe(context: SubscriptionContext<Identity>): Promise<Subscription | null>;
}
