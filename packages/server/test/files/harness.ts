/**
 * What the upload suite needs from its environment: a server on one storage backend, a way to
 * count the blobs it holds, and a way to make an upload look old (for the 24-hour sweep).
 */
import type { Attachment } from "@parley/protocol";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import { AGENT_ORIGIN, WIDGET_ORIGIN, type TestServer } from "../support/testServer.js";

export interface UploadBackend {
  /** Extra environment for startTestServer (S3_*, DATABASE_URL). */
  env: Record<string, string>;
  /** How many blobs the server's storage holds now. */
  countBlobs(server: TestServer): Promise<number>;
  /** Moves an upload's creation back by `hours`. */
  age(server: TestServer, attachmentId: number, hours: number): Promise<void>;
}

export const SECRET = "k".repeat(64);
/** The widget uploads from a site embedding it; an agent from an inbox (AGENT_ORIGINS). */
export const ORIGIN = WIDGET_ORIGIN;

export interface UploadOptions {
  token?: string;
  cookie?: string;
  filename: string;
  type?: string;
  headers?: Record<string, string>;
}

/** A real multipart request, as a browser's FormData makes it. */
export function upload(server: TestServer, bytes: Buffer, options: UploadOptions): Promise<Response> {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(bytes)], { type: options.type ?? "" }), options.filename);
  const headers = new Headers({
    origin: options.cookie === undefined ? ORIGIN : AGENT_ORIGIN,
    ...options.headers,
  });
  if (options.token !== undefined) headers.set("x-visitor-token", options.token);
  if (options.cookie !== undefined) headers.set("cookie", options.cookie);
  return fetch(`${server.url}/uploads`, { method: "POST", body: form, headers });
}

/** The wire's attachment shape, under the name this suite uses. */
export type WireAttachment = Attachment;

export interface WireMessage {
  id: number;
  content: string;
  attachments?: WireAttachment[];
}

/** A visitor's VisitorChannel subscription, with a send that waits for the answer. */
export async function visitorSession(server: TestServer, token: string) {
  const cable = await openRawCable(server.url);
  const identifier = cable.subscribe({ channel: "VisitorChannel", token });
  await cable.next((frame) => frame.type === "confirm_subscription");
  let sent = 0;
  return {
    cable,
    /** Resolves with the stored message, or rejects with the error text. */
    async send(data: Record<string, unknown>): Promise<WireMessage> {
      const clientId = `c${++sent}-${Date.now()}`;
      cable.perform(identifier, { action: "send_message", client_id: clientId, ...data });
      const frame = await cable.next((f) => {
        const message = f.message as
          { type?: string; client_id?: string; message?: { client_id?: string } } | undefined;
        return message?.client_id === clientId || message?.message?.client_id === clientId;
      });
      const event = frame.message as { type: string; error?: string; message?: WireMessage };
      if (event.type === "error") throw new Error(event.error);
      return event.message!;
    },
    /** (§18) Performs `rate`; what it answers comes on `cable`. */
    rate: (data: Record<string, unknown>) => cable.perform(identifier, { action: "rate", ...data }),
    close: () => cable.close(),
  };
}

export async function agentSession(server: TestServer, cookie: string) {
  const cable: RawCable = await openRawCable(server.url, { cookie });
  const identifier = cable.subscribe({ channel: "AdminChannel" });
  await cable.next((frame) => frame.type === "confirm_subscription");
  let sent = 0;
  return {
    cable,
    async send(conversationId: number, data: Record<string, unknown>): Promise<WireMessage> {
      const clientId = `a${++sent}-${Date.now()}`;
      cable.perform(identifier, {
        action: "send_message",
        conversation_id: conversationId,
        client_id: clientId,
        ...data,
      });
      const frame = await cable.next((f) => {
        const message = f.message as { client_id?: string; message?: { client_id?: string } } | undefined;
        return message?.client_id === clientId || message?.message?.client_id === clientId;
      });
      const event = frame.message as { type: string; error?: string; message?: WireMessage };
      if (event.type === "error") throw new Error(event.error);
      return event.message!;
    },
    close: () => cable.close(),
  };
}
