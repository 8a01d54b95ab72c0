/**
 * `pushsubscriptionchange`: the browser's push service replaced or dropped the subscription
 * (Firefox does this; Chrome rarely). Subscribe again with the server's key and tell the server,
 * with the session cookie the worker's same-origin requests carry, so the agent keeps getting
 * pushes without opening the inbox.
 */
import { ApiError } from "../api/http.js";
import { rest } from "../api/rest.js";
import { base64UrlToBytes, subscriptionBody } from "../attention/pushKeys.js";
import type { PushSubscriptionChangeEvent } from "./workerTypes.js";

async function subscribe(registration: ServiceWorkerRegistration): Promise<PushSubscription> {
  const { public_key } = await rest.vapidPublicKey();
  return registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: base64UrlToBytes(public_key),
  });
}

export async function resubscribe(
  registration: ServiceWorkerRegistration,
  event: PushSubscriptionChangeEvent,
): Promise<void> {
  const subscription = event.newSubscription ?? (await subscribe(registration));
  try {
    await rest.savePushSubscription(subscriptionBody(subscription));
  } catch (error) {
    // Signed out meanwhile: a subscription nobody can use must not stay in the browser.
    if (error instanceof ApiError && error.status === 401) await subscription.unsubscribe();
    throw error;
  }
  const old = event.oldSubscription;
  // The old endpoint is dead already; the server would drop it on its next 404/410 anyway.
  if (old !== null && old.endpoint !== subscription.endpoint)
    await rest.deletePushSubscription(old.endpoint).catch(() => undefined);
}
