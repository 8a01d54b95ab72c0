/** What a browser's PushManager.subscribe() makes: a P-256 key pair and a 16-byte auth secret. */
import { createECDH, randomBytes, type ECDH } from "node:crypto";

export interface BrowserSubscription {
  endpoint: string;
  /** What the inbox POSTs to /push_subscriptions. */
  body: { endpoint: string; p256dh: string; auth: string };
  /** Kept by the "browser" to decrypt what arrives. */
  keys: ECDH;
  auth: string;
}

export function browserSubscription(endpoint: string): BrowserSubscription {
  const keys = createECDH("prime256v1");
  keys.generateKeys();
  const auth = randomBytes(16).toString("base64url");
  return {
    endpoint,
    keys,
    auth,
    body: { endpoint, p256dh: keys.getPublicKey().toString("base64url"), auth },
  };
}
