/**
 * A visitor that comes back after its socket is lost, by the widget's own rule: the cable
 * consumer's backoff (full jitter, @parley/protocol's backoffDelay with DEFAULT_BACKOFF, the
 * outage's age counted from the first loss) and a resubscribe with `since` = the highest message
 * id seen. It counts every message id it receives, from `history` and live alike, and never
 * dedupes: a duplicate sent by the server shows up as a count of 2.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { backoffDelay, DEFAULT_BACKOFF } from "@parley/protocol";

const PING_PREFIX = '{"type":"ping"';
const CONFIRM_TIMEOUT_MS = 15_000;

export interface ReconnectingVisitorOptions {
  /** Read on every attempt, so a test may bring the server back on another port. */
  url: () => string;
  token: string;
  localAddress?: string;
  /** The page's origin, as a browser sends it (servers that list ALLOWED_ORIGINS check it). */
  origin?: string;
}

export class ReconnectingVisitor {
  /** How often each message id arrived. */
  readonly received = new Map<number, number>();
  /** Milliseconds from each loss of the socket to the next confirmed subscription. */
  readonly reconnectMs: number[] = [];
  /** performance.now() of each confirmed (re)subscription after a loss. */
  readonly reconnectedAt: number[] = [];
  /** performance.now() of each attempt that failed (refused, closed or unconfirmed). */
  readonly failedAt: number[] = [];
  attempts = 0;
  private socket: WebSocket | undefined;
  private lastId = 0;
  private attempt = 0;
  private downSince: number | undefined;
  private confirmed = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private firstConfirm: { resolve: () => void; reject: (error: Error) => void } | undefined;
  /** Called with every live `message` event (and history entries) as it arrives. */
  onMessage: (message: { id: number; client_id?: string }) => void = () => {};

  constructor(private readonly options: ReconnectingVisitorOptions) {}

  get connected(): boolean {
    return this.confirmed;
  }

  get identifier(): string {
    return JSON.stringify(this.identifierObject(false));
  }

  /** The first connection: resolves on its confirmation, rejects if it fails (no retry). */
  start(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.firstConfirm = { resolve, reject };
      this.open();
    });
  }

  send(action: Record<string, unknown>): void {
    if (!this.confirmed) return;
    this.socket?.send(
      JSON.stringify({
        command: "message",
        identifier: this.currentIdentifier,
        data: JSON.stringify(action),
      }),
    );
  }

  /**
   * Resolves once every frame the server sent this visitor so far has arrived: its frames are
   * handled in order, so the error for an unknown action comes after all of them.
   */
  barrier(): Promise<void> {
    const marker = `barrier_${Math.random().toString(36).slice(2, 10)}`;
    return new Promise<void>((resolve) => {
      this.barriers.set(marker, resolve);
      this.send({ action: marker });
    });
  }

  private readonly barriers = new Map<string, () => void>();

  /** Drops the socket without telling the server (a lost network), then retries with backoff. */
  drop(): void {
    this.socket?.terminate();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.socket?.terminate();
  }

  private currentIdentifier = "";

  private identifierObject(withSince: boolean): Record<string, unknown> {
    return {
      channel: "VisitorChannel",
      token: this.options.token,
      ...(withSince && this.lastId > 0 ? { since: this.lastId } : {}),
    };
  }

  private open(): void {
    this.attempts++;
    this.confirmed = false;
    const socket = new WebSocket(this.options.url(), ["actioncable-v1-json", "actioncable-unsupported"], {
      perMessageDeflate: false,
      ...(this.options.origin === undefined ? {} : { headers: { origin: this.options.origin } }),
      ...(this.options.localAddress === undefined ? {} : { localAddress: this.options.localAddress }),
    });
    this.socket = socket;
    const timer = setTimeout(() => {
      if (!this.confirmed) socket.terminate();
    }, CONFIRM_TIMEOUT_MS);
    socket.on("open", () => {
      this.currentIdentifier = JSON.stringify(this.identifierObject(true));
      socket.send(JSON.stringify({ command: "subscribe", identifier: this.currentIdentifier }));
    });
    socket.on("message", (data) => this.receive((data as Buffer).toString("utf8")));
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.lost();
    });
  }

  private lost(): void {
    const now = performance.now();
    const wasConfirmed = this.confirmed;
    this.confirmed = false;
    if (this.firstConfirm !== undefined) {
      this.firstConfirm.reject(new Error("the first connection failed"));
      this.firstConfirm = undefined;
      return;
    }
    if (this.stopped) return;
    if (!wasConfirmed) this.failedAt.push(now);
    this.downSince ??= now;
    const delay = backoffDelay(this.attempt++, DEFAULT_BACKOFF, Math.random, now - this.downSince);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private receive(text: string): void {
    if (text.startsWith(PING_PREFIX)) return;
    const frame = JSON.parse(text) as {
      type?: string;
      message?: { type?: string; message?: { id: number }; messages?: { id: number }[]; error?: string };
    };
    if (frame.type === "confirm_subscription") {
      this.confirmed = true;
      const now = performance.now();
      if (this.downSince !== undefined) {
        this.reconnectMs.push(now - this.downSince);
        this.reconnectedAt.push(now);
      }
      this.downSince = undefined;
      this.attempt = 0;
      this.firstConfirm?.resolve();
      this.firstConfirm = undefined;
      return;
    }
    if (frame.type === "reject_subscription" || frame.type === "disconnect") return;
    const event = frame.message;
    if (event?.type === "error") {
      for (const [marker, resolve] of this.barriers)
        if (event.error?.includes(marker)) {
          this.barriers.delete(marker);
          resolve();
        }
    } else if (event?.type === "history") for (const message of event.messages ?? []) this.count(message);
    else if (event?.type === "message" && event.message !== undefined) this.count(event.message);
  }

  private count(message: { id: number }): void {
    this.received.set(message.id, (this.received.get(message.id) ?? 0) + 1);
    if (message.id > this.lastId) this.lastId = message.id;
    this.onMessage(message);
  }
}
