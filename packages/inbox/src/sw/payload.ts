/**
 * Reading a push: the server sends a PushNotification (protocol "Web push"), but the worker
 * must show something for every push it gets (browsers require it, and punish silence), so a
 * payload it cannot read still becomes a plain "new message" notification that opens the list.
 */
import type { PushNotification } from "@parley/protocol";

const FALLBACK: PushNotification = {
  title: "New message",
  body: "A visitor wrote in the Parley inbox.",
  url: "/admin/chats",
  tag: "parley-message",
  conversation_id: 0,
  count: 1,
};

/** Only paths of the inbox on this server: a click never leads anywhere else. */
export function inboxUrl(url: unknown, origin: string): string {
  if (typeof url !== "string") return `${origin}${FALLBACK.url}`;
  const resolved = new URL(url, origin);
  const inside =
    resolved.origin === origin && (resolved.pathname === "/admin" || resolved.pathname.startsWith("/admin/"));
  return inside ? resolved.href : `${origin}${FALLBACK.url}`;
}

export function pushFrom(data: { json(): unknown } | null): PushNotification {
  let value: unknown;
  try {
    value = data?.json();
  } catch {
    return FALLBACK;
  }
  if (typeof value !== "object" || value === null) return FALLBACK;
  const push = value as Partial<Record<keyof PushNotification, unknown>>;
  const text = (field: unknown, otherwise: string): string =>
    typeof field === "string" && field !== "" ? field : otherwise;
  const number = (field: unknown, otherwise: number): number =>
    typeof field === "number" && Number.isFinite(field) ? field : otherwise;
  return {
    title: text(push.title, FALLBACK.title),
    body: text(push.body, ""),
    url: text(push.url, FALLBACK.url),
    tag: text(push.tag, FALLBACK.tag),
    conversation_id: number(push.conversation_id, 0),
    count: number(push.count, 1),
  };
}
