/**
 * The web push switch. The server side (VAPID key, sending) and the service worker are another
 * piece of work; until the server answers GET /push/vapid_public_key, the switch stays disabled
 * with a note saying why.
 */
import { ApiError } from "../api/http.js";
import { rest } from "../api/rest.js";

export type PushSupport =
  | { available: false; note: string }
  | { available: true; publicKey: string; subscribed: boolean };

/** The inbox's service worker scope (the worker itself ships with the server side of push). */
const SCOPE = "/admin/";

function keyFrom(body: Record<string, unknown>): string | undefined {
  for (const field of ["public_key", "publicKey", "vapid_public_key", "key"]) {
    const value = body[field];
    if (typeof value === "string" && value !== "") return value;
  }
  return undefined;
}

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  return navigator.serviceWorker.getRegistration(SCOPE);
}

export async function pushSupport(): Promise<PushSupport> {
  let publicKey: string | undefined;
  try {
    publicKey = keyFrom(await rest.vapidPublicKey());
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return { available: false, note: "Web push is not set up on this server yet." };
    }
    return { available: false, note: "Could not ask the server about web push." };
  }
  if (publicKey === undefined) return { available: false, note: "The server sent no push key." };
  if (!window.isSecureContext || !("serviceWorker" in navigator) || !("PushManager" in window)) {
    return { available: false, note: "This browser (or a page without HTTPS) cannot receive web push." };
  }
  const subscription = await (await registration())?.pushManager.getSubscription();
  return { available: true, publicKey, subscribed: subscription != null };
}

function base64UrlToBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(text.length / 4) * 4, "=");
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function bytesToBase64Url(buffer: ArrayBuffer | null): string {
  if (buffer === null) return "";
  return btoa(String.fromCharCode(...new Uint8Array(buffer)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Turns push on; resolves to an explanation when it could not. */
export async function enablePush(publicKey: string): Promise<string | null> {
  if ((await Notification.requestPermission()) !== "granted") return "Notifications are blocked for this site.";
  const worker = await registration();
  if (worker === undefined) return "The inbox's service worker is not installed on this server yet.";
  const subscription = await worker.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(publicKey),
  });
  await rest.savePushSubscription({
    endpoint: subscription.endpoint,
    p256dh: bytesToBase64Url(subscription.getKey("p256dh")),
    auth: bytesToBase64Url(subscription.getKey("auth")),
  });
  return null;
}

export async function disablePush(): Promise<void> {
  const subscription = await (await registration())?.pushManager.getSubscription();
  if (!subscription) return;
  await rest.deletePushSubscription(subscription.endpoint);
  await subscription.unsubscribe();
}
