/**
 * A bare WebSocket speaking ActionCable by hand, for what the stock client never sends:
 * malformed frames, wrong types, oversized frames.
 */
import WebSocket from "ws";

export interface RawCable {
  socket: WebSocket;
  frames: Record<string, unknown>[];
  send(frame: unknown): void;
  sendText(text: string): void;
  subscribe(identifier: Record<string, unknown>): string;
  perform(identifier: string, data: Record<string, unknown>): void;
  next(
    predicate: (frame: Record<string, unknown>) => boolean,
    timeoutMs?: number,
  ): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number }>;
  close(): void;
}

export async function openRawCable(
  serverUrl: string,
  options: {
    origin?: string;
    cookie?: string;
    query?: string;
    protocols?: string[];
    headers?: Record<string, string>;
  } = {},
): Promise<RawCable> {
  const url = `${serverUrl.replace(/^http/, "ws")}/cable${options.query ?? ""}`;
  const headers: Record<string, string> = { origin: options.origin ?? serverUrl, ...options.headers };
  if (options.cookie !== undefined) headers.cookie = options.cookie;
  const socket = new WebSocket(url, options.protocols ?? ["actioncable-v1-json", "actioncable-unsupported"], {
    headers,
  });
  const frames: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  socket.on("message", (data) => {
    frames.push(JSON.parse((data as Buffer).toString("utf8")) as Record<string, unknown>);
    for (const listener of listeners) listener();
  });
  const closed = new Promise<{ code: number }>((resolve) => socket.on("close", (code) => resolve({ code })));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  const next = (predicate: (frame: Record<string, unknown>) => boolean, timeoutMs = 5000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = frames.find(predicate);
        if (found === undefined) return false;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`no matching frame; got ${JSON.stringify(frames).slice(0, 1500)}`));
      }, timeoutMs);
      if (!check()) listeners.add(check);
    });
  return {
    socket,
    frames,
    send: (frame) => socket.send(JSON.stringify(frame)),
    sendText: (text) => socket.send(text),
    subscribe(identifier) {
      const key = JSON.stringify(identifier);
      socket.send(JSON.stringify({ command: "subscribe", identifier: key }));
      return key;
    },
    perform(identifier, data) {
      socket.send(JSON.stringify({ command: "message", identifier, data: JSON.stringify(data) }));
    },
    next,
    closed,
    close: () => socket.close(),
  };
}

/** Resolves with the HTTP status when the server refuses the WebSocket handshake. */
export function handshakeStatus(serverUrl: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${serverUrl.replace(/^http/, "ws")}/cable`, ["actioncable-v1-json"], {
      headers,
    });
    socket.on("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on("open", () => {
      socket.close();
      resolve(101);
    });
    socket.on("error", (error) => {
      if (!String(error).includes("Unexpected server response")) reject(error);
    });
  });
}
