/** A scripted stand-in for a WebSocket, for unit tests of cable clients (not part of any bundle). */
import type { CableSocket, CreateSocket } from "./socket.js";

export class FakeSocket implements CableSocket {
  readyState = 0;
  protocol = "";
  onopen: CableSocket["onopen"] = null;
  onmessage: CableSocket["onmessage"] = null;
  onclose: CableSocket["onclose"] = null;
  onerror: CableSocket["onerror"] = null;
  readonly sent: Record<string, unknown>[] = [];
  closed = false;

  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }

  close(): void {
    this.closed = true;
    this.readyState = 3;
  }

  /** The server accepts the handshake with `protocol`. */
  accept(protocol = "actioncable-v1-json"): void {
    this.readyState = 1;
    this.protocol = protocol;
    this.onopen?.(new Event("open"));
  }

  frame(value: unknown): void {
    this.onmessage?.({ data: JSON.stringify(value) });
  }

  drop(): void {
    this.readyState = 3;
    this.onclose?.(new Event("close"));
  }
}

export function fakeSockets(): { sockets: FakeSocket[]; create: CreateSocket } {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    create: (url, protocols) => {
      const socket = new FakeSocket(url, protocols);
      sockets.push(socket);
      return socket;
    },
  };
}
