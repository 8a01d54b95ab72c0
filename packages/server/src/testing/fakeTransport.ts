/**
 * A Transport (cable/transport.ts) held in memory: what the connection sent and how it closed
 * are recorded, and the test plays the client by delivering frames.
 */
import type { Transport, TransportEvents } from "../cable/transport.js";

export class FakeTransport implements Transport {
  /** Every text frame sent, parsed. */
  readonly sent: Record<string, unknown>[] = [];
  closedWith: number | undefined;
  readingPaused = false;
  /** Set by a test to play a client that does not read (slow consumer). */
  bufferedAmount = 0;
  terminated = false;
  /** WebSocket-level pings sent; a browser answers each, unless a test sets `answersPings` false. */
  pings = 0;
  answersPings = true;
  lastHeardAt = Date.now();
  private events: TransportEvents | undefined;

  /** Every frame as it was handed over, string or Buffer. */
  readonly frames: (string | Buffer)[] = [];

  send(frame: string | Buffer): void {
    this.frames.push(frame);
    const text = typeof frame === "string" ? frame : frame.toString("utf8");
    this.sent.push(JSON.parse(text) as Record<string, unknown>);
  }

  close(code: number): void {
    this.closedWith ??= code;
  }

  terminate(): void {
    this.terminated = true;
  }

  ping(): void {
    this.pings++;
    if (this.answersPings) this.lastHeardAt = Date.now();
  }

  pauseReading(): void {
    this.readingPaused = true;
  }

  resumeReading(): void {
    this.readingPaused = false;
  }

  listen(events: TransportEvents): void {
    if (this.events !== undefined) throw new Error("listen is called once");
    this.events = events;
  }

  /** The client sends a text frame: an object is sent as its JSON. */
  receive(frame: string | Record<string, unknown>): void {
    const text = typeof frame === "string" ? frame : JSON.stringify(frame);
    this.lastHeardAt = Date.now();
    this.listener().frameReceived(Buffer.from(text), false);
  }

  receiveBinary(bytes: Buffer): void {
    this.listener().frameReceived(bytes, true);
  }

  /** The socket closes from the client's side. */
  drop(): void {
    this.listener().socketClosed();
  }

  fail(error: Error): void {
    this.listener().socketFailed(error);
  }

  /** The frames sent with `type` (welcome, ping, confirm_subscription, disconnect…). */
  ofType(type: string): Record<string, unknown>[] {
    return this.sent.filter((frame) => frame.type === type);
  }

  /** The messages transmitted on a subscription. */
  messages(identifier: string): unknown[] {
    return this.sent
      .filter((frame) => frame.identifier === identifier && "message" in frame)
      .map((frame) => frame.message);
  }

  private listener(): TransportEvents {
    if (this.events === undefined) throw new Error("nobody listens to this transport yet");
    return this.events;
  }
}
