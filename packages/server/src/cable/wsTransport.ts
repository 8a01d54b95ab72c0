/**
 * The production transport: a `ws` WebSocket behind the Transport interface (transport.ts).
 *
 * Its socket listeners are functions made once for every socket: each finds its transport on the
 * socket (`this` is the socket when `ws` emits). Four closures made per socket, with their scope,
 * cost about 270 bytes per connected visitor.
 */
import type { Duplex } from "node:stream";
import type { RawData, WebSocket } from "ws";
import type { Transport, TransportEvents } from "./transport.js";

const TRANSPORT = Symbol("parley.transport");

/** A socket with its transport on it. */
type CarryingSocket = WebSocket & { [TRANSPORT]: WsTransport };

function transportOf(socket: WebSocket): WsTransport {
  return (socket as CarryingSocket)[TRANSPORT];
}

function pongHeard(this: WebSocket): void {
  transportOf(this).lastHeardAt = Date.now();
}

function frameHeard(this: WebSocket, data: RawData, isBinary: boolean): void {
  const transport = transportOf(this);
  transport.lastHeardAt = Date.now();
  transport.events?.frameReceived(toBuffer(data), isBinary);
}

function socketClosed(this: WebSocket): void {
  transportOf(this).events?.socketClosed();
}

function socketFailed(this: WebSocket, error: Error): void {
  transportOf(this).events?.socketFailed(error);
}

/** `ws` keeps the TCP (or TLS) socket it writes to on `_socket`, null until open and after close. */
type WithRawSocket = WebSocket & { _socket?: Duplex | null };

/**
 * Sockets written to since the last flush, corked until then. An agent hears a frame for every
 * message of a commit, all sent in one turn; `ws` writes each frame at once, one system call per
 * frame. Corked, the turn's frames to one socket go out in one writev at its end.
 */
const corkedSockets = new Set<Duplex>();

/**
 * Runs on process.nextTick after the sends: a tick queued by a promise reaction waits for the
 * whole microtask queue, so every frame the turn's callbacks and their promise chains send is in.
 * Each socket leaves the set before it is uncorked, so the set is empty afterwards whatever an
 * uncork does, and a later turn's first send queues its own flush.
 */
function uncorkSockets(): void {
  for (const socket of corkedSockets) {
    corkedSockets.delete(socket);
    socket.uncork();
  }
}

function corkForThisTurn(socket: Duplex): void {
  if (corkedSockets.has(socket)) return;
  socket.cork();
  corkedSockets.add(socket);
  if (corkedSockets.size === 1) process.nextTick(uncorkSockets);
}

export class WsTransport implements Transport {
  lastHeardAt = Date.now();
  /** Who hears the socket's frames and close (listen). */
  events: TransportEvents | undefined;

  constructor(private readonly socket: WebSocket) {
    (socket as CarryingSocket)[TRANSPORT] = this;
    socket.on("pong", pongHeard);
  }

  send(frame: string | Buffer): void {
    const raw = (this.socket as WithRawSocket)._socket;
    if (raw) corkForThisTurn(raw);
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
    this.events = events;
    this.socket.on("message", frameHeard);
    this.socket.on("close", socketClosed);
    this.socket.on("error", socketFailed);
  }
}

/** `ws` hands over a Buffer with its default binaryType; the other shapes are converted. */
function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
