/**
 * The inbox's service worker under test, through what Chromium offers automation:
 * - pushes delivered by the DevTools protocol (`ServiceWorker.deliverPushMessage`), which reach
 *   the worker's `push` handler as a push service's would (no push service is reachable offline);
 * - the notifications it showed: Chrome's own record of each one displayed (the DevTools
 *   "Background services → Notifications" log), then `registration.getNotifications()` for what
 *   the page API sees. Reading that while a notification is being displayed can lose it (Chrome
 *   drops stored notifications it does not see displayed yet), so it is read only after the record;

 * - a click: no protocol can click a notification (web-platform-tests/wpt#51125), so the worker
 *   gets a `NotificationEvent("notificationclick")` for the notification it really showed,
 *   dispatched to its own listener from inside the worker. Unlike a real click it grants no
 *   permission to focus or open windows, so it proves the "navigate the open inbox" path.
 * - a stand-in for the browser's push service in the page (`fakePushService`): headless
 *   Chromium cannot subscribe offline, so `PushManager.subscribe` answers with a subscription of
 *   a test endpoint (allowed with PUSH_ENDPOINT_ORIGINS) and real P-256 keys; it also counts
 *   permission prompts and unsubscribes (`pushCalls`).
 */
import { createECDH, randomBytes } from "node:crypto";
import type { BrowserContext, CDPSession, Page, Worker } from "playwright-core";
import type { PushNotification } from "@parley/protocol";
import { waitFor } from "./wait.js";

export const TEST_PUSH_ORIGIN = "https://push.parley.test";

export interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  data: unknown;
  renotify: boolean;
}

export interface PushWorkerProbe {
  cdp: CDPSession;
  /** The id DevTools knows the /admin/ registration by, once its worker is activated. */
  registrationId(): Promise<string>;
  /** Pushes, then waits until Chrome has displayed the notification with its title and tag. */
  deliver(push: PushNotification): Promise<void>;
  shown(): Promise<ShownNotification[]>;
  click(tag: string): Promise<void>;
}

export async function probePushWorker(
  context: BrowserContext,
  page: Page,
  origin: string,
): Promise<PushWorkerProbe> {
  const cdp = await context.newCDPSession(page);
  const registrations = new Map<string, string>();
  cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations: updated }) => {
    for (const { registrationId, scopeURL, isDeleted } of updated) {
      if (isDeleted) registrations.delete(scopeURL);
      else registrations.set(scopeURL, registrationId);
    }
  });
  const activated = new Set<string>();
  cdp.on("ServiceWorker.workerVersionUpdated", ({ versions }) => {
    for (const { registrationId, status } of versions)
      if (status === "activated") activated.add(registrationId);
  });
  const displayed: { tag: string; title: string }[] = [];
  cdp.on("BackgroundService.backgroundServiceEventReceived", ({ backgroundServiceEvent: event }) => {
    if (event.eventName !== "Notification displayed") return;
    const title = event.eventMetadata.find((entry) => entry.key === "Title")?.value ?? "";
    displayed.push({ tag: event.instanceId, title });
  });
  await cdp.send("BackgroundService.startObserving", { service: "notifications" });
  await cdp.send("BackgroundService.setRecording", { shouldRecord: true, service: "notifications" });
  await cdp.send("ServiceWorker.enable");
  // Pushes go to the activated version only: one delivered while the worker is still activating
  // is dropped without an error (pages may already see it as `active` then).
  const registrationId = () =>
    waitFor("the /admin/ service worker, activated", () => {
      const id = registrations.get(`${origin}/admin/`);
      return id !== undefined && activated.has(id) && id;
    });
  return {
    cdp,
    registrationId,
    async deliver(push) {
      const from = displayed.length;
      await cdp.send("ServiceWorker.deliverPushMessage", {
        origin,
        registrationId: await registrationId(),
        data: JSON.stringify(push),
      });
      await waitFor(`the notification "${push.title}" displayed`, () =>
        displayed.slice(from).some((shown) => shown.tag === push.tag && shown.title === push.title),
      );
    },
    shown: () =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration("/admin/");
        const notifications = (await registration?.getNotifications()) ?? [];
        return notifications.map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
          data: n.data as unknown,
          renotify: (n as Notification & { renotify?: boolean }).renotify === true,
        }));
      }),
    async click(tag) {
      const worker = await inboxWorker(context);
      const dispatched = await worker.evaluate(async (wanted: string) => {
        const scope = self as unknown as { registration: ServiceWorkerRegistration } & EventTarget;
        const events = globalThis as unknown as {
          NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
        };
        const [notification] = await scope.registration.getNotifications({ tag: wanted });
        if (notification === undefined) return false;
        scope.dispatchEvent(new events.NotificationEvent("notificationclick", { notification }));
        return true;
      }, tag);
      if (!dispatched) throw new Error(`no notification with tag ${tag} to click`);
    },
  };
}

async function inboxWorker(context: BrowserContext): Promise<Worker> {
  return waitFor("the inbox's service worker", () =>
    context.serviceWorkers().find((worker) => worker.url().endsWith("/admin/sw.js")),
  );
}

export interface FakeSubscription {
  endpoint: string;
}

/** Installs the push service stand-in in every page of `context`; returns its endpoint. */
export async function fakePushService(context: BrowserContext): Promise<FakeSubscription> {
  const endpoint = `${TEST_PUSH_ORIGIN}/subscriptions/${randomBytes(8).toString("hex")}`;
  const ecdh = createECDH("prime256v1");
  const p256dh = [...ecdh.generateKeys()];
  const auth = [...randomBytes(16)];
  // A string, not a function: tsx would wrap the function's inner functions in a naming helper
  // the page does not have. One subscription per document; a reload starts unsubscribed.
  await context.addInitScript({
    content: `(() => {
      const endpoint = ${JSON.stringify(endpoint)};
      const keys = { p256dh: ${JSON.stringify(p256dh)}, auth: ${JSON.stringify(auth)} };
      let current = null;
      window.__pushUnsubscribed = 0;
      window.__permissionAsks = 0;
      const ask = Notification.requestPermission.bind(Notification);
      Notification.requestPermission = (...args) => {
        window.__permissionAsks++;
        return ask(...args);
      };
      PushManager.prototype.subscribe = async function () {
        current ??= {
          endpoint,
          getKey: (name) => new Uint8Array(keys[name]).buffer,
          unsubscribe: async () => {
            current = null;
            window.__pushUnsubscribed++;
            return true;
          },
        };
        return current;
      };
      PushManager.prototype.getSubscription = async function () {
        return current;
      };
    })();`,
  });
  return { endpoint };
}

/** How often the page unsubscribed, and asked for notification permission, so far. */
export async function pushCalls(page: Page): Promise<{ unsubscribed: number; permissionAsks: number }> {
  return page.evaluate(() => {
    const counts = window as unknown as { __pushUnsubscribed: number; __permissionAsks: number };
    return { unsubscribed: counts.__pushUnsubscribed, permissionAsks: counts.__permissionAsks };
  });
}
