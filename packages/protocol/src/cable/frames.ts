/**
 * Decoding of the server's frames (PROTOCOL.md §1). Anything that is not one of the known shapes
 * decodes to null and is ignored, so a newer server's additions never break an older client.
 */
import type { DisconnectReason, ServerFrame } from "../wire.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseServerFrame(text: string): ServerFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value)) return null;
  const { type, identifier } = value;
  if (typeof identifier === "string") {
    if (type === "confirm_subscription" || type === "reject_subscription") return { identifier, type };
    if ("message" in value) return { identifier, message: value.message };
    return null;
  }
  switch (type) {
    case "welcome":
      return { type };
    case "ping":
      return { type, message: typeof value.message === "number" ? value.message : 0 };
    case "disconnect":
      return {
        type,
        reason: (typeof value.reason === "string" ? value.reason : "remote") as DisconnectReason,
        // The stock client reconnects unless told otherwise; so do we.
        reconnect: value.reconnect !== false,
      };
    default:
      return null;
  }
}
