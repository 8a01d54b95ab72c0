/**
 * Showing a push. It is shown even when an inbox window is focused: the server only pushes to
 * agents with no live inbox connection, so a focused window that gets one is reconnecting and
 * may not have the message yet, and browsers other than Chrome revoke subscriptions whose pushes
 * show nothing.
 */
import type { PushNotification } from "@parley/protocol";

/** What a notification carries for its click (and for the next push about its conversation). */
export interface NotificationData {
  url: string;
  count: number;
}

// lib.dom.d.ts dropped `renotify`; browsers still honour it.
type Options = NotificationOptions & { renotify?: boolean };

export function countOf(data: unknown): number {
  const count = (data as Partial<NotificationData> | null)?.count;
  return typeof count === "number" ? count : 0;
}

export async function showPush(
  registration: ServiceWorkerRegistration,
  push: PushNotification,
  url: string,
): Promise<void> {
  // The tag replaces the conversation's notification silently; alert again only when more
  // messages have arrived than the one on screen already says.
  const [previous] = await registration.getNotifications({ tag: push.tag });
  const data: NotificationData = { url, count: push.count };
  const options: Options = {
    body: push.body,
    tag: push.tag,
    data,
    renotify: previous !== undefined && push.count > countOf(previous.data),
  };
  await registration.showNotification(push.title, options);
}
