/**
 * One client's cable connection: its subscriptions, keyed by the identifier string exactly as
 * the client sent it (the key is echoed back byte for byte), and the order of its frames. It
 * speaks to its socket only through a Transport (transport.ts).
 */
import type { Logger } from "pino";
import { lazyChild } from "../lazyLogger.js";
import { FewKeys } from "./fewKeys.js";
import type { Channel, Subscription, SubscriptionContext } from "./channel.js";
import { DISCONNECTS, disconnectFrame, type Disconnect } from "./disconnects.js";
import { actionName, decodeActionData, decodeClientFrame } from "./frames.js";
import type { Transport } from "./transport.js";

/** Who is at the other end of one connection, and how to reach them. */
export interface ConnectionPeer<Identity> {
  transport: Transport;
  identity: Identity;
  remoteAddress: string;
  /** This connection's logger: bound to its id and who it is (cableServer.ts), never a secret. */
  logger: Logger;
}

/**
 * What every connection of a server shares: its channels, its limits, and whom it tells. One
 * object per server: kept in each connection's options, they were about 150 bytes per visitor.
 */
export interface ConnectionSetup<Identity> {
  channels: ReadonlyMap<string, Channel<Identity>>;
  maxFrameBytes: number;
  /**
   * Past this many bytes waiting in the socket's buffer, beyond the largest frame among them, the
   * client is too slow: drop it (see `tooFarBehind`).
   */
  maxBufferedBytes: number;
  /** Further subscribes get `reject_subscription` (limits.ts). */
  maxSubscriptions: number;
  /** Subscriptions asked for in a minute, past which the client is cut off (limits.ts). */
  maxNewSubscriptionsPerMinute: number;
  /** Past this many bytes of frames waiting to be handled, the socket is not read (limits.ts). */
  maxQueuedBytes: number;
  /** Told once, when the connection has closed (one function for every connection: no closure each). */
  onClose: (connection: Connection<Identity>) => void;
  /** Told once, when the connection cuts the client off, and why (for a metric). */
  onCutOff?: (why: ConnectionCutOff) => void;
}

/**
 * `{"identifier":…,"message":…}` encoded straight into one Buffer. Joined as a string first, a
 * history of several MB was copied twice more (the joined string flattened to measure it, then
 * encoded by ws): garbage that 50 clients asking for their history again and again grew the heap
 * by hundreds of MB with.
 */
function messageFrame(identifierJson: string, messageJson: string): Buffer {
  const head = `{"identifier":${identifierJson},"message":`;
  const headBytes = Buffer.byteLength(head);
  const bodyBytes = Buffer.byteLength(messageJson);
  const frame = Buffer.allocUnsafe(headBytes + bodyBytes + 1);
  frame.write(head, 0);
  frame.write(messageJson, headBytes);
  frame[headBytes + bodyBytes] = 0x7d; // "}"
  return frame;
}

function channelBindings(channel: string): { channel: string } {
  return { channel };
}

/** Why a connection drops its client without a closing handshake (see `cutOff`). */
export type ConnectionCutOff = "slow_consumer" | "subscribe_flood";

type SubscriptionSlot =
  { state: "pending" } | { state: "active"; subscription: Subscription; logger: Logger };

export class Connection<Identity> {
  private readonly subscriptions = new FewKeys<string, SubscriptionSlot>();
  /** Frames are handled one after another, so a `message` never overtakes its `subscribe`. */
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Set while the server shuts down: frames are no longer acted on (clients retry elsewhere). */
  private paused = false;
  /** Bytes of frames in `queue`; reading stops while it is over the limit (backpressure). */
  private queuedBytes = 0;
  private readingStopped = false;
  private subscriptionCapLogged = false;
  /** Bytes of the largest frame sent since the send buffer was last within its bound. */
  private largestFrameBehind = 0;
  /** Subscribes this connection may still ask for now; refilled over the minute. */
  private subscribeAllowance: number;
  private allowanceCountedAt = Date.now();

  readonly identity: Identity;
  readonly remoteAddress: string;
  private readonly transport: Transport;
  private readonly logger: Logger;

  constructor(
    { transport, identity, remoteAddress, logger }: ConnectionPeer<Identity>,
    private readonly setup: ConnectionSetup<Identity>,
  ) {
    this.transport = transport;
    this.identity = identity;
    this.remoteAddress = remoteAddress;
    this.logger = logger;
    this.subscribeAllowance = setup.maxNewSubscriptionsPerMinute;
    transport.listen(this);
  }

  /** From the transport (TransportEvents): a frame came in. */
  frameReceived(data: Buffer, binary: boolean): void {
    this.receive(data, binary);
  }

  /** From the transport (TransportEvents): the socket is gone. */
  socketClosed(): void {
    this.teardown();
  }

  /** From the transport (TransportEvents): the socket failed; socketClosed follows. */
  socketFailed(error: Error): void {
    this.logger.debug({ err: error }, "cable socket error");
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Subscriptions held or being made: 0 on a socket that is open for nothing. */
  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** Sends one text frame: a string, or its UTF-8 already encoded (see `messageFrame`). */
  send(frame: string | Buffer): void {
    if (this.closed) return;
    if (this.tooFarBehind()) return this.cutOff("slow_consumer");
    const bytes = typeof frame === "string" ? Buffer.byteLength(frame) : frame.length;
    this.largestFrameBehind = Math.max(this.largestFrameBehind, bytes);
    this.transport.send(frame);
  }

  /**
   * How far behind the client is: the bytes waiting in the send buffer, less the largest frame
   * among them. One frame is always let through whole (a full history can be a few MB and a
   * client on a slow link is still reading it when the next frame comes); past the bound on top
   * of it, the client is not reading, and each frame more would be memory held for nobody.
   */
  private tooFarBehind(): boolean {
    const buffered = this.transport.bufferedAmount;
    if (buffered <= this.setup.maxBufferedBytes) {
      this.largestFrameBehind = 0;
      return false;
    }
    return buffered - this.largestFrameBehind > this.setup.maxBufferedBytes;
  }

  private cutOff(reason: ConnectionCutOff): void {
    const { transport } = this;
    // Not a closing handshake: the close frame would queue behind the megabytes the client
    // does not read, and they would stay in memory until ws gave up on it (30 s).
    this.logger.info(
      { bufferedBytes: transport.bufferedAmount, reason },
      reason === "slow_consumer"
        ? "cable client cut off: send buffer full"
        : "cable client cut off: subscribe flood",
    );
    this.setup.onCutOff?.(reason);
    transport.terminate();
    this.teardown();
  }

  disconnect(why: Disconnect): void {
    if (this.closed) return;
    this.transport.send(disconnectFrame(why));
    this.transport.close(why.code);
    this.teardown();
  }

  /** Forgets a connection whose socket was dropped from outside (cableServer.ts: idle). */
  abandon(): void {
    this.teardown();
  }

  /** Stops acting on frames; resolves once the frames already taken in are handled. */
  pause(): Promise<void> {
    this.paused = true;
    return this.queue;
  }

  private receive(data: Buffer, isBinary: boolean): void {
    if (this.closed || this.paused) return;
    if (data.length > this.setup.maxFrameBytes) {
      this.logger.info({ bytes: data.length }, "cable frame too large");
      this.disconnect(DISCONNECTS.frameTooLarge);
      return;
    }
    if (isBinary) {
      this.disconnect(DISCONNECTS.invalidRequest);
      return;
    }
    const text = data.toString("utf8");
    this.queued(data.length);
    this.queue = this.queue
      .then(() => this.handle(text))
      .catch((error: unknown) => {
        this.logger.error({ err: error }, "cable frame handling failed");
      })
      .finally(() => this.queued(-data.length));
  }

  /**
   * Frames come in faster than they are handled only when the client floods: the socket is then
   * left unread (TCP holds the client back) until half the backlog is handled.
   */
  private queued(bytes: number): void {
    this.queuedBytes += bytes;
    const { transport } = this;
    const { maxQueuedBytes } = this.setup;
    if (!this.readingStopped && this.queuedBytes > maxQueuedBytes) {
      this.readingStopped = true;
      transport.pauseReading();
    } else if (this.readingStopped && this.queuedBytes <= maxQueuedBytes / 2) {
      this.readingStopped = false;
      transport.resumeReading();
    }
  }

  private async handle(text: string): Promise<void> {
    if (this.closed) return;
    // Checked before the work, not only at the send after it: a client that reads nothing but
    // asks again and again for its history would otherwise have one built, held and serialised
    // for it each time, only to be cut off when it is sent.
    if (this.tooFarBehind()) return this.cutOff("slow_consumer");
    const decoded = decodeClientFrame(text);
    if (!decoded.ok) {
      this.logger.info({ problem: decoded.problem }, "invalid cable frame");
      this.disconnect(DISCONNECTS.invalidRequest);
      return;
    }
    const { frame, params } = decoded;
    switch (frame.command) {
      case "subscribe":
        return this.subscribe(frame.identifier, params);
      case "unsubscribe":
        return this.unsubscribe(frame.identifier);
      case "message": {
        const slot = this.subscriptions.get(frame.identifier);
        if (slot?.state !== "active") {
          this.logger.debug("message for a subscription that does not exist");
          return;
        }
        const action = decodeActionData(frame.data);
        if (action === undefined) {
          this.disconnect(DISCONNECTS.invalidRequest);
          return;
        }
        try {
          await slot.subscription.perform(action);
        } catch (error) {
          slot.logger.error({ err: error, action: actionName(action) }, "cable action failed");
        }
        return;
      }
    }
  }

  private async subscribe(identifier: string, params: Record<string, unknown>): Promise<void> {
    if (this.subscriptions.has(identifier)) {
      // ActionCable clients resend subscribe after a hiccup; answer it, change nothing.
      this.send(JSON.stringify({ identifier, type: "confirm_subscription" }));
      return;
    }
    const channel = this.setup.channels.get(params.channel as string);
    if (channel === undefined) {
      this.send(JSON.stringify({ identifier, type: "reject_subscription" }));
      return;
    }
    if (this.subscriptions.size >= this.setup.maxSubscriptions) {
      if (!this.subscriptionCapLogged) {
        this.subscriptionCapLogged = true;
        this.logger.info({ address: this.remoteAddress }, "cable subscriptions per connection at the cap");
      }
      this.send(JSON.stringify({ identifier, type: "reject_subscription" }));
      return;
    }
    // Counted only here, where the channel is asked (and may build a history): a subscribe
    // refused above costs nothing.
    if (!this.takeSubscribeAllowance()) return this.cutOff("subscribe_flood");
    this.subscriptions.set(identifier, { state: "pending" });
    // Bound to the channel's name, never to the identifier: a visitor's holds their token.
    const logger = lazyChild(this.logger, channelBindings, params.channel as string);
    const context = new ChannelContext(this, identifier, params, logger);
    let subscription: Subscription | null = null;
    try {
      subscription = await channel.subscribe(context);
    } catch (error) {
      logger.error({ err: error }, "subscribe failed");
    }
    if (subscription === null) {
      this.subscriptions.delete(identifier);
      if (!context.confirmed) this.send(JSON.stringify({ identifier, type: "reject_subscription" }));
      return;
    }
    if (this.closed) {
      subscription.unsubscribed();
      return;
    }
    context.confirm();
    this.subscriptions.set(identifier, { state: "active", subscription, logger });
  }

  /**
   * Each subscribe may build a history (hundreds of KB, several MB in full) that the kernel's
   * socket buffers take unseen, megabytes of them, before the send buffer's bound can tell a
   * client that reads nothing. No client makes more subscriptions than it can hold at once in a
   * minute (ActionCable resends one it holds, which is answered without asking the channel): one that
   * subscribes and unsubscribes over and over is asking for its history again and again.
   */
  private takeSubscribeAllowance(): boolean {
    const perMinute = this.setup.maxNewSubscriptionsPerMinute;
    const now = Date.now();
    const refill = ((now - this.allowanceCountedAt) * perMinute) / 60_000;
    this.allowanceCountedAt = now;
    this.subscribeAllowance = Math.min(perMinute, this.subscribeAllowance + refill);
    if (this.subscribeAllowance < 1) return false;
    this.subscribeAllowance -= 1;
    return true;
  }

  private unsubscribe(identifier: string): void {
    const slot = this.subscriptions.get(identifier);
    this.subscriptions.delete(identifier);
    if (slot?.state === "active") slot.subscription.unsubscribed();
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const slot of this.subscriptions.values()) {
      if (slot.state === "active") slot.subscription.unsubscribed();
    }
    this.subscriptions.clear();
    this.setup.onClose(this);
  }
}

/**
 * What a channel gets for one subscription (SubscriptionContext). A class, so its methods are
 * shared: the four closures and their scope made per subscription cost about 300 bytes per
 * connected visitor.
 */
class ChannelContext<Identity> implements SubscriptionContext<Identity> {
  /**
   * Whether confirm_subscription went out. It goes out before the channel's first transmit (its
   * history), as ActionCable clients expect, or after `subscribe` resolves when it transmits
   * nothing.
   */
  confirmed = false;
  private readonly identifierJson: string;

  constructor(
    private readonly connection: Connection<Identity>,
    private readonly identifier: string,
    readonly params: Record<string, unknown>,
    readonly logger: Logger,
  ) {
    this.identifierJson = JSON.stringify(identifier);
  }

  get identity(): Identity {
    return this.connection.identity;
  }

  get remoteAddress(): string {
    return this.connection.remoteAddress;
  }

  confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.connection.send(JSON.stringify({ identifier: this.identifier, type: "confirm_subscription" }));
  }

  transmit(message: unknown): void {
    this.confirm();
    // A history is megabytes of text: not serialised for a connection already gone.
    if (!this.connection.isOpen) return;
    this.connection.send(messageFrame(this.identifierJson, JSON.stringify(message)));
  }

  transmitJson(messageJson: string): void {
    this.confirm();
    this.connection.send(messageFrame(this.identifierJson, messageJson));
  }

  disconnect(why: Disconnect): void {
    this.connection.disconnect(why);
  }
}
