/** The production transport: a `ws` WebSocket behind the Transport interface (transport.ts). */
import type { RawData, WebSocket } from "ws";
import type { Transport, TransportEvents } from "./transport.js";

export class WsTransport implements Transport {
  lastHeardAt = Date.now();

  constructor(private readonly socket: WebSocket) {
    socket.on("pong", () => (this.lastHeardAt = Date.now()));
  }

  send(frame: string | Buffer): void {
    // A Buffer would go out as a binary frame unless told: ActionCable reads text frames only.
    this.socket.send(frame, { binary: false });
  }

  close(code: number): void {
    this.socket.close(code);
  }

  terminate(): void {
    this.socket.terminate();
  }

  ping(): void {
    this.socket.ping();
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount;
  }

  pauseReading(): void {
    this.socket.pause();
  }

  resumeReading(): void {
    this.socket.resume();
  }

  listen(events: TransportEvents): void {
    this.socket.on("message", (data, isBinary) => {
      this.lastHeardAt = Date.now();
      events.message(toBuffer(data), isBinary);
    });
    this.socket.on("close", () => events.close());
    this.socket.on("error", (error) => events.error(error));
  }
}

/** `ws` hands over a Buffer with its default binaryType; the other shapes are converted. */
function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
