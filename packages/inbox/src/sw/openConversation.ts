/**
 * A click on a notification: bring an inbox window forward and show the conversation in it, or
 * open a new window when none is open. Browsers allow focus() and openWindow() only while a
 * notification click is being handled.
 */
import type { Clients, WindowClient } from "./workerTypes.js";

function isInbox(client: WindowClient): boolean {
  const path = new URL(client.url).pathname;
  return path === "/admin" || path.startsWith("/admin/");
}

export async function openConversation(clients: Clients, url: string): Promise<void> {
  // Most recently focused first, in the browsers that order them; otherwise any inbox window.
  const windows = await clients.matchAll({ type: "window", includeUncontrolled: true });
  const inbox = windows.find((client) => client.focused && isInbox(client)) ?? windows.find(isInbox);
  if (inbox !== undefined) {
    const focused = await inbox.focus().catch(() => inbox);
    if (focused.url === url) return;
    // navigate() works only for windows this worker controls (claimed on activation); any
    // other ends up in a new window below.
    const navigated = await focused.navigate(url).catch(() => null);
    if (navigated !== null) return;
  }
  await clients.openWindow(url);
}
