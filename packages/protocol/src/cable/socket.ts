/**
 * The part of the WebSocket API the cable client uses. Browsers' `WebSocket` fits it as is; tests
 * and Node callers pass a factory that returns anything shaped like it.
 */
/**
 * An event handler property checked bivariantly, so that both the DOM's `WebSocket` (whose
 * handlers take `Event`/`MessageEvent`) and Node's `ws` fit without casts.
 */
type Handler<E> = { bivariant(event: E): void }["bivariant"];

export interface CableSocket {
  readonly readyState: number;
  /** The subprotocol the server selected ("" when it selected none). */
  readonly protocol: string;
  onopen: Handler<Event> | null;
  onmessage: Handler<{ data: unknown }> | null;
  onclose: Handler<Event> | null;
  onerror: Handler<Event> | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type CreateSocket = (url: string, protocols: string[]) => CableSocket;

/** `WebSocket.OPEN`, spelled out so the client does not need the global to exist. */
export const SOCKET_OPEN = 1;

export const browserSocket: CreateSocket = (url, protocols) => new WebSocket(url, protocols);
