/**
 * A bare ActionCable client on `ws`, as cheap as a client can be so the load generator is never
 * what limits a run: pings are recognised by their first bytes and never parsed.
 */
import { performance } from "node:perf_hooks";
import WebSocket from "ws";

const PING_PREFIX = '{"type":"ping"';

export interface CableEndpoint {
  url: string;
  headers?: Record<string, string>;
  localAddress?: string;
}

export type ChannelMessage = Record<string, unknown> & { type?: unknown };

export class CableClient {
  readonly socket: WebSocket;
  /** Channel data for the single subscription: `{identifier, message}` frames. */
  onMessage: (message: ChannelMessage, receivedAt: number) => void = () => {};
  private confirmed: (() => void) | undefined;
  private failed: ((error: Error) => void) | undefined;

  constructor(endpoint: CableEndpoint) {
    this.socket = new WebSocket(endpoint.url, ["actioncable-v1-json", "actioncable-unsupported"], {
      perMessageDeflate: false,
      headers: endpoint.headers ?? {},
      ...(endpoint.localAddress === undefined ? {} : { localAddress: endpoint.localAddress }),
    });
    this.socket.on("message", (data) => this.receive((data as Buffer).toString("utf8")));
    this.socket.on("error", (error) => this.failed?.(error));
    this.socket.on("close", (code) => this.failed?.(new Error(`closed with ${code}`)));
  }

  /** Subscribes once the socket is open; resolves on `confirm_subscription`. */
  subscribe(identifier: Record<string, unknown>, timeoutMs: number): Promise<void> {
    const identifierText = JSON.stringify(identifier);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no confirmation in time")), timeoutMs);
      this.confirmed = () => {
        clearTimeout(timer);
        resolve();
      };
      this.failed = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      const send = () =>
        this.socket.send(JSON.stringify({ command: "subscribe", identifier: identifierText }));
      if (this.socket.readyState === WebSocket.OPEN) send();
      else this.socket.once("open", send);
    }).finally(() => {
      this.confirmed = undefined;
      this.failed = undefined;
    });
  }

  perform(identifier: string, action: Record<string, unknown>): void {
    this.socket.send(JSON.stringify({ command: "message", identifier, data: JSON.stringify(action) }));
  }

  close(): void {
    this.socket.terminate();
  }

  private receive(text: string): void {
    if (text.startsWith(PING_PREFIX)) return;
    const receivedAt = performance.now();
    const frame = JSON.parse(text) as { type?: unknown; message?: unknown };
    if (frame.type === "confirm_subscription") this.confirmed?.();
    else if (frame.type === "reject_subscription") this.failed?.(new Error("subscription rejected"));
    else if (typeof frame.message === "object" && frame.message !== null) {
      this.onMessage(frame.message as ChannelMessage, receivedAt);
    }
  }
}
