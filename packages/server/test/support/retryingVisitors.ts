/**
 * Visitors that behave as the widget does when the server goes away: each send carries a
 * `client_id`, stays pending until its echo comes back, and is sent again (same `client_id`)
 * after every reconnect and after an error or `too_fast` answer. Real sockets, bare ActionCable
 * frames; the server's address may change between reconnects (a restarted node gets a new port).
 */
import WebSocket from "ws";

export const RELIABILITY_ORIGIN = "http://reliability.example";

interface Pending {
  content: string;
}

/** The first pause after a refusal; each refusal in a row doubles it, up to the longest. */
const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 4000;

export class RetryingVisitor {
  readonly token = `reliability-${crypto.randomUUID()}`;
  private readonly identifier = JSON.stringify({ channel: "VisitorChannel", token: this.token });
  private socket: WebSocket | undefined;
  private subscribed = false;
  private closed = false;
  private seq = 0;
  readonly pending = new Map<string, Pending>();
  /** client_id of every send whose echo (or history entry) came back. */
  readonly echoed = new Set<string>();
  /**
   * Live echoes of a send already echoed. Not a fault: a retry of a stored message is published
   * again (its first publish may have died with the node) and the widget drops the known id;
   * counted to show how much retrying cost.
   */
  duplicateEchoes = 0;
  /** Error answers naming one of our sends (retried after a pause). */
  refusals = 0;
  /**
   * After a refusal the visitor holds its sends back and, once a pause is over, sends one (the
   * oldest) as a probe; the first echo releases the rest. A server in trouble thus gets one
   * retry per visitor per pause, not every pending send again and again.
   */
  private holding = false;
  private pausedUntil = 0;
  private pauseMs = 0;
  firstRefusal: string | undefined;
  reconnects = 0;

  constructor(
    private readonly url: () => string | undefined,
    private readonly prefix: string,
  ) {
    this.connect();
  }

  /** Sends a new message; it stays pending until echoed. */
  send(content: string): string {
    const clientId = `${this.prefix}-${++this.seq}`;
    this.pending.set(clientId, { content });
    this.transmit(clientId);
    return clientId;
  }

  get sent(): number {
    return this.seq;
  }

  /** Once a pause is over, probes with the oldest pending send (again after a pause if unanswered). */
  retryDue(): void {
    if (!this.holding || Date.now() < this.pausedUntil) return;
    const oldest = this.pending.keys().next();
    if (oldest.done === true) {
      this.holding = false;
      return;
    }
    this.pausedUntil = Date.now() + Math.max(this.pauseMs, 1000);
    this.transmit(oldest.value, true);
  }

  close(): void {
    this.closed = true;
    this.socket?.terminate();
  }

  private transmit(clientId: string, probe = false): void {
    const pending = this.pending.get(clientId);
    if (pending === undefined || !this.subscribed || this.socket?.readyState !== WebSocket.OPEN) return;
    if (this.holding && !probe) return;
    const data = JSON.stringify({ action: "send_message", content: pending.content, client_id: clientId });
    this.socket.send(JSON.stringify({ command: "message", identifier: this.identifier, data }));
  }

  private connect(): void {
    if (this.closed) return;
    const url = this.url();
    if (url === undefined) {
      setTimeout(() => this.connect(), 100);
      return;
    }
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/cable`, ["actioncable-v1-json"], {
      headers: { origin: RELIABILITY_ORIGIN },
    });
    this.socket = socket;
    socket.on("open", () =>
      socket.send(JSON.stringify({ command: "subscribe", identifier: this.identifier })),
    );
    socket.on("message", (data: Buffer) => this.receive(data.toString("utf8")));
    socket.on("error", () => {});
    socket.on("close", () => {
      this.subscribed = false;
      if (this.closed || this.socket !== socket) return;
      this.reconnects++;
      setTimeout(() => this.connect(), 100);
    });
  }

  private receive(text: string): void {
    const frame = JSON.parse(text) as { type?: string; message?: Record<string, unknown> };
    if (frame.type === "ping" || frame.type === "welcome") return;
    if (frame.type === "confirm_subscription") {
      this.subscribed = true;
      // Everything not yet echoed goes again: the server drops what it already stored.
      if (this.holding) this.pausedUntil = 0;
      else this.releaseAll();
      return;
    }
    const event = frame.message as
      | {
          type?: string;
          message?: { client_id?: string };
          messages?: { client_id?: string }[];
          client_id?: string;
          error?: string;
          retry_after_ms?: number;
        }
      | undefined;
    if (event === undefined) return;
    if (event.type === "message" && event.message?.client_id !== undefined) {
      this.echo(event.message.client_id, true);
    } else if (event.type === "history") {
      for (const message of event.messages ?? []) {
        if (message.client_id !== undefined) this.echo(message.client_id, false);
      }
    } else if ((event.type === "error" || event.type === "too_fast") && event.client_id !== undefined) {
      if (!this.pending.has(event.client_id)) return;
      this.refusals++;
      this.firstRefusal ??= event.error ?? event.type;
      // Back off, doubling while refusals go on, rather than hammer a server in trouble.
      this.pauseMs = Math.min(LONGEST_PAUSE_MS, this.pauseMs === 0 ? FIRST_PAUSE_MS : this.pauseMs * 2);
      this.pausedUntil = Date.now() + Math.max(this.pauseMs, event.retry_after_ms ?? 0);
      this.holding = true;
    }
  }

  private echo(clientId: string, live: boolean): void {
    if (this.echoed.has(clientId)) {
      if (live && !this.pending.has(clientId)) this.duplicateEchoes++;
    } else this.echoed.add(clientId);
    this.pending.delete(clientId);
    if (live && this.holding) {
      this.holding = false;
      this.pauseMs = 0;
      this.releaseAll();
    }
  }

  private releaseAll(): void {
    for (const clientId of this.pending.keys()) this.transmit(clientId);
  }
}

/** `count` visitors sending `rate` messages a second between them until stopped. */
export class VisitorTraffic {
  readonly visitors: RetryingVisitor[];
  private timer: NodeJS.Timeout | undefined;
  private started = 0;
  private due = 0;

  constructor(
    url: () => string | undefined,
    count: number,
    readonly rate: number,
  ) {
    this.visitors = Array.from({ length: count }, (_, i) => new RetryingVisitor(url, `v${i}`));
  }

  start(): void {
    this.started = Date.now();
    this.timer = setInterval(() => {
      const target = Math.floor(((Date.now() - this.started) / 1000) * this.rate);
      for (; this.due < target; this.due++) {
        this.visitors[this.due % this.visitors.length]!.send(`message ${this.due}`);
      }
      for (const visitor of this.visitors) visitor.retryDue();
    }, 10);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Keeps retrying until every send is echoed (or `timeoutMs` passes); returns what is still pending. */
  async drain(timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.pendingCount() > 0 && Date.now() < deadline) {
      for (const visitor of this.visitors) visitor.retryDue();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.pendingCount();
  }

  pendingCount(): number {
    return this.visitors.reduce((sum, visitor) => sum + visitor.pending.size, 0);
  }

  sent(): number {
    return this.visitors.reduce((sum, visitor) => sum + visitor.sent, 0);
  }

  echoed(): number {
    return this.visitors.reduce((sum, visitor) => sum + visitor.echoed.size, 0);
  }

  refusals(): number {
    return this.visitors.reduce((sum, visitor) => sum + visitor.refusals, 0);
  }

  firstRefusal(): string | undefined {
    return this.visitors.find((visitor) => visitor.firstRefusal !== undefined)?.firstRefusal;
  }

  duplicateEchoes(): number {
    return this.visitors.reduce((sum, visitor) => sum + visitor.duplicateEchoes, 0);
  }

  close(): void {
    this.stop();
    for (const visitor of this.visitors) visitor.close();
  }
}
