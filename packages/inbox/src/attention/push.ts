/**
 * Web push on this device: what the switch on *Account* shows, turning it on and off, and
 * removing the subscription at sign-out. The service worker (src/sw/) shows what arrives.
 * Permission is asked only when the agent turns the switch on, never on page load.
 */
import { messageOf } from "../api/http.js";
import { rest } from "../api/rest.js";
import { base64UrlToBytes, subscriptionBody } from "./pushKeys.js";

export type PushState =
  | { kind: "unsupported"; note: string }
  | { kind: "denied" }
  | { kind: "ready"; publicKey: string; subscribed: boolean };

const SCRIPT = "/admin/sw.js";
const SCOPE = "/admin/";
/** Offline, or with its push service unreachable, a browser may never settle a subscribe. */
const SUBSCRIBE_TIMEOUT_MS = 30_000;

function supported(): boolean {
  return (
    window.isSecureContext &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window
  );
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.getRegistration(SCOPE);
  return (await registration?.pushManager.getSubscription()) ?? null;
}

export async function pushState(): Promise<PushState> {
  if (!supported())
    return { kind: "unsupported", note: "This browser (or a page without HTTPS) cannot receive web push." };
  if (Notification.permission === "denied") return { kind: "denied" };
  let publicKey: string;
  try {
    publicKey = (await rest.vapidPublicKey()).public_key;
  } catch (error) {
    return { kind: "unsupported", note: `Could not ask the server about web push: ${messageOf(error)}` };
  }
  return { kind: "ready", publicKey, subscribed: (await currentSubscription()) !== null };
}

function timeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)),
  );
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Turns push on: the permission prompt, the worker, the subscription, then the server. */
export async function enablePush(publicKey: string): Promise<PushState> {
  const permission = await Notification.requestPermission();
  if (permission === "denied") return { kind: "denied" };
  if (permission !== "granted")
    throw new Error("The browser did not allow notifications, so push stays off.");
  await navigator.serviceWorker.register(SCRIPT, { scope: SCOPE });
  // Subscribing needs an active worker; `ready` waits for it (this page is inside the scope).
  const registration = await navigator.serviceWorker.ready;
  const subscription =
    (await registration.pushManager.getSubscription()) ??
    (await timeout(
      registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlToBytes(publicKey),
      }),
      SUBSCRIBE_TIMEOUT_MS,
      "The browser's push service did not answer. Try again later.",
    ));
  try {
    await rest.savePushSubscription(subscriptionBody(subscription));
  } catch (error) {
    // The server refused it (e.g. an unknown push service): keep the browser in step with it.
    await subscription.unsubscribe().catch(() => undefined);
    throw error;
  }
  return { kind: "ready", publicKey, subscribed: true };
}

/**
 * Turns push off on this device: the server forgets the endpoint, the browser drops the
 * subscription. The browser's part happens even when the server cannot be told, since pushes to
 * an unsubscribed endpoint fail with 410 and the server then deletes it on its own.
 */
export async function disablePush(): Promise<void> {
  const subscription = await currentSubscription();
  if (subscription === null) return;
  try {
    await rest.deletePushSubscription(subscription.endpoint);
  } finally {
    await subscription.unsubscribe();
  }
}

/** At sign-out, before the session ends (the DELETE needs it); never stands in its way. */
export async function removePushOnSignOut(): Promise<void> {
  if (!supported()) return;
  await disablePush().catch(() => undefined);
}

/**
 * When the session ended elsewhere (expiry, a password change, removal) the server can no longer
 * be told, but this browser still stops receiving pushes for an agent who is not signed in.
 */
export async function forgetPushSubscription(): Promise<void> {
  if (!supported()) return;
  try {
    await (await currentSubscription())?.unsubscribe();
  } catch {
    /* nothing to undo: the server drops the endpoint at its next failed push */
  }
}
