/**
 * Decoding of client frames. Anything that is not exactly one of the ActionCable shapes is
 * rejected here, at the edge, so the rest of the server only sees typed commands.
 */
import type { ClientFrame } from "@parley/protocol";
import { MAX_IDENTIFIER_BYTES } from "./limits.js";

export type DecodedFrame =
  { ok: true; frame: ClientFrame; params: Record<string, unknown> } | { ok: false; problem: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function decodeClientFrame(text: string): DecodedFrame {
  const value = parseJson(text);
  if (!isPlainObject(value)) return { ok: false, problem: "frame is not a JSON object" };
  const { command, identifier, data } = value;
  if (typeof identifier !== "string") return { ok: false, problem: "identifier must be a string" };
  if (Buffer.byteLength(identifier) > MAX_IDENTIFIER_BYTES) {
    return { ok: false, problem: `identifier over ${MAX_IDENTIFIER_BYTES} bytes` };
  }
  const params = parseJson(identifier);
  if (!isPlainObject(params) || typeof params.channel !== "string") {
    return { ok: false, problem: "identifier must be a JSON object with a channel" };
  }
  switch (command) {
    case "subscribe":
    case "unsubscribe":
      return { ok: true, frame: { command, identifier }, params };
    case "message":
      if (typeof data !== "string") return { ok: false, problem: "data must be a string" };
      return { ok: true, frame: { command, identifier, data }, params };
    default:
      return { ok: false, problem: "unknown command" };
  }
}

/** An action's name for log lines: the client's text, so only enough of it to find it in the code. */
export function actionName(data: Record<string, unknown>): string | undefined {
  return typeof data.action === "string" ? data.action.slice(0, 64) : undefined;
}

/** The action payload inside a `message` frame; undefined when it is not a JSON object. */
export function decodeActionData(data: string): Record<string, unknown> | undefined {
  const value = parseJson(data);
  return isPlainObject(value) ? value : undefined;
}
