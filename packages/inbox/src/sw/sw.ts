/**
 * The inbox's service worker, built to /admin/sw.js with scope /admin/: web push only (it has no
 * fetch handler, so the inbox loads from the network as before). See docs/push.md.
 */
import { showPush } from "./notify.js";
import { openConversation } from "./openConversation.js";
import { inboxUrl, pushFrom } from "./payload.js";
import { resubscribe } from "./resubscribe.js";
import type { ExtendableEvent, ServiceWorkerScope } from "./workerTypes.js";

// The DOM library types `self` as a Window; in this file it is the worker's global scope.
const scope = self as unknown as ServiceWorkerScope;

/**
 * Keeps the worker alive until `work` settles. Only events the browser dispatched may do that;
 * one dispatched by script (the browser test's stand-in for a click on a notification, which no
 * automation protocol can make) runs the same work without it.
 */
function keepAlive(event: ExtendableEvent, work: Promise<unknown>): void {
  const reported = work.catch((error: unknown) => console.error("parley service worker:", error));
  if (event.isTrusted) event.waitUntil(reported);
}

// A new version takes over at once: it has no cache whose contents could mix with the old one.
scope.addEventListener("install", (event) => keepAlive(event, scope.skipWaiting()));
// Controlling open inbox windows is what lets a click navigate them.
scope.addEventListener("activate", (event) => keepAlive(event, scope.clients.claim()));

scope.addEventListener("push", (event) => {
  const push = pushFrom(event.data);
  keepAlive(event, showPush(scope.registration, push, inboxUrl(push.url, scope.location.origin)));
});

scope.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data: unknown = event.notification.data;
  const url = inboxUrl((data as { url?: unknown } | null)?.url, scope.location.origin);
  keepAlive(event, openConversation(scope.clients, url));
});

scope.addEventListener("pushsubscriptionchange", (event) =>
  keepAlive(event, resubscribe(scope.registration, event)),
);
