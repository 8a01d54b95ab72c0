/**
 * One channel subscription. Its identifier is recomputed at every (re)subscribe so that it can
 * carry `since` = the highest message id the caller holds: after any disconnect the server then
 * replays exactly what was missed (PROTOCOL.md §6).
 */
import type { ClientFrame } from "../wire.js";

export interface SubscriptionHandlers {
  /** Channel data: the `message` of `{identifier, message}` frames, not validated. */
  received?(message: unknown): void;
  /** The server confirmed the subscription; `reconnected` is false only the first time. */
  connected?(info: { reconnected: boolean }): void;
  /** The connection was lost; a resubscribe will follow when it comes back. */
  disconnected?(): void;
  /** The server refused the subscription; it is forgotten and never retried. */
  rejected?(): void;
}

/** What a subscription needs from the consumer that owns it. */
export interface SubscriptionHost {
  send(frame: ClientFrame): boolean;
  forget(subscription: CableSubscription): void;
}

export class CableSubscription {
  /** The identifier of the latest subscribe: frames are routed by it, byte for byte. */
  identifier = "";
  confirmed = false;
  /** Highest message id seen; sent as `since` on every resubscribe when above zero. */
  since = 0;
  #confirmedBefore = false;

  readonly #host: SubscriptionHost;

  constructor(
    host: SubscriptionHost,
    readonly params: Readonly<Record<string, unknown>>,
    readonly handlers: SubscriptionHandlers,
  ) {
    this.#host = host;
  }

  /** Records that the caller holds message `id`, raising the `since` of the next resubscribe. */
  seen(id: number): void {
    if (Number.isSafeInteger(id) && id > this.since) this.since = id;
  }

  /** Sends an action; false when the subscription is not confirmed (the caller keeps it to retry). */
  perform(action: string, data: Readonly<Record<string, unknown>> = {}): boolean {
    if (!this.confirmed) return false;
    const payload = JSON.stringify({ ...data, action });
    return this.#host.send({ command: "message", identifier: this.identifier, data: payload });
  }

  unsubscribe(): void {
    if (this.confirmed) this.#host.send({ command: "unsubscribe", identifier: this.identifier });
    this.confirmed = false;
    this.#host.forget(this);
  }

  /** @internal Called by the consumer when it (re)sends `subscribe`. */
  nextIdentifier(): string {
    this.confirmed = false;
    this.identifier = JSON.stringify(this.since > 0 ? { ...this.params, since: this.since } : this.params);
    return this.identifier;
  }

  /** @internal */
  confirm(): void {
    this.confirmed = true;
    const reconnected = this.#confirmedBefore;
    this.#confirmedBefore = true;
    this.handlers.connected?.({ reconnected });
  }
}
