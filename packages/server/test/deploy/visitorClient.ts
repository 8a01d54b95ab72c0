/**
 * A visitor as a real widget behaves across a deploy, over a plain `ws` socket speaking the
 * ActionCable protocol: it reconnects whenever the socket closes, resubscribes with `since` = the
 * highest id it holds, drops ids it already holds, and re-sends every message whose echo it has
 * not seen with the same `client_id` (so the server stores it at most once).
 */
import WebSocket from "ws";
import type { Message } from "@parley/protocol";

const SUBPROTOCOLS = ["actioncable-v1-json", "actioncable-unsupported"];

/** A frame's text, whatever shape `ws` hands it over in. */
export function frameText(raw: WebSocket.RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString("utf8");
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString("utf8");
  return raw.toString("utf8");
}

interface Sent {
  clientId: string;
  content: string;
  performed: boolean;
}

export class Visitor {
  /** Every message held, by id. */
  readonly messages = new Map<number, Message>();
  /** Deliveries of an id already held (dropped, as the protocol asks of clients). */
  duplicateDeliveries = 0;
  /** Messages first received through a `history` catch-up rather than live. */
  caughtUp = 0;
  /** Sends repeated (same client_id) after a reconnect because no echo had come. */
  resends = 0;
  readonly disconnectReasons: string[] = [];
  readonly errors: unknown[] = [];
  connects = 0;
  subscribed = false;

  private readonly sent: Sent[] = [];
  private readonly unconfirmed = new Map<string, Sent>();
  private socket: WebSocket | undefined;
  private identifier = "";
  private stopped = false;
  private sequence = 0;

  constructor(
    private readonly url: string,
    private readonly origin: string,
    readonly token: string,
  ) {}

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.close();
  }

  /** Queues a message; it goes out now if subscribed, else right after the next subscription. */
  send(content: string): void {
    const message = { clientId: `${this.token.slice(0, 12)}-${++this.sequence}`, content, performed: false };
    this.sent.push(message);
    this.unconfirmed.set(message.clientId, message);
    if (this.subscribed) this.perform(message);
  }

  get pending(): number {
    return this.unconfirmed.size;
  }

  get sentContents(): string[] {
    return this.sent.map((message) => message.content);
  }

  /** The visitor's own messages as it holds them, in id order. */
  ownContents(): string[] {
    return [...this.messages.values()]
      .filter((message) => message.sender === "visitor")
      .sort((a, b) => a.id - b.id)
      .map((message) => message.content);
  }

  /** The agents' messages the visitor holds, in id order. */
  agentContents(): string[] {
    return [...this.messages.values()]
      .filter((message) => message.sender === "admin")
      .sort((a, b) => a.id - b.id)
      .map((message) => message.content);
  }

  private highestId(): number {
    let highest = 0;
    for (const id of this.messages.keys()) highest = Math.max(highest, id);
    return highest;
  }

  private connect(): void {
    this.connects += 1;
    this.subscribed = false;
    const socket = new WebSocket(this.url, SUBPROTOCOLS, { headers: { origin: this.origin } });
    this.socket = socket;
    socket.on("message", (raw) => this.onFrame(JSON.parse(frameText(raw)) as Record<string, unknown>));
    socket.on("error", () => {
      // A refused or reset connection: "close" follows and schedules the reconnect.
    });
    socket.on("close", () => {
      this.subscribed = false;
      if (!this.stopped) setTimeout(() => this.connect(), 100 + Math.random() * 200);
    });
  }

  private onFrame(frame: Record<string, unknown>): void {
    switch (frame.type) {
      case "ping":
        return;
      case "welcome": {
        const since = this.highestId();
        this.identifier = JSON.stringify({
          channel: "VisitorChannel",
          token: this.token,
          ...(since > 0 ? { since } : {}),
        });
        this.socket?.send(JSON.stringify({ command: "subscribe", identifier: this.identifier }));
        return;
      }
      case "disconnect":
        this.disconnectReasons.push(String(frame.reason));
        return;
      case "confirm_subscription":
        if (frame.identifier !== this.identifier) return;
        this.subscribed = true;
        for (const message of this.unconfirmed.values()) {
          if (message.performed) this.resends += 1;
          this.perform(message);
        }
        return;
      case "reject_subscription":
        this.errors.push(frame);
        return;
    }
    if (frame.identifier === this.identifier && typeof frame.message === "object" && frame.message !== null) {
      this.onEvent(frame.message as Record<string, unknown>);
    }
  }

  private onEvent(event: Record<string, unknown>): void {
    switch (event.type) {
      case "history":
        for (const message of event.messages as Message[]) {
          if (!this.messages.has(message.id) && this.connects > 1) this.caughtUp += 1;
          this.hold(message);
        }
        return;
      case "message":
        this.hold(event.message as Message);
        return;
      case "too_fast": {
        // Nothing was stored; the same client_id goes out again after the wait.
        const message = this.unconfirmed.get(String(event.client_id));
        if (message) setTimeout(() => this.subscribed && this.perform(message), Number(event.retry_after_ms));
        return;
      }
      case "error":
        this.errors.push(event);
        return;
    }
  }

  private hold(message: Message): void {
    if (this.messages.has(message.id)) this.duplicateDeliveries += 1;
    else this.messages.set(message.id, message);
    if (message.client_id !== undefined) this.unconfirmed.delete(message.client_id);
  }

  private perform(message: Sent): void {
    message.performed = true;
    const data = JSON.stringify({
      action: "send_message",
      content: message.content,
      client_id: message.clientId,
    });
    this.socket?.send(JSON.stringify({ command: "message", identifier: this.identifier, data }));
  }
}
