/**
 * A browser's subscription keys (RFC 8291): `p256dh`, its P-256 public key, and `auth`, a 16-byte
 * secret. Checked when the subscription is saved, so a delivery never fails on keys that could
 * never have worked.
 */
import { ECDH } from "node:crypto";

/** Browsers send base64url; some libraries send plain base64. Node decodes both. */
const BASE64 = /^[A-Za-z0-9_+/-]+={0,2}$/;

export function subscriptionKeyProblem(p256dh: string, auth: string): string | undefined {
  const key = BASE64.test(p256dh) ? Buffer.from(p256dh, "base64url") : undefined;
  if (key?.length !== 65 || key[0] !== 0x04)
    return "p256dh must be a 65-byte uncompressed P-256 public key (base64url)";
  try {
    // Throws for bytes that are not a point on the curve.
    ECDH.convertKey(key, "prime256v1");
  } catch {
    return "p256dh is not a point on the P-256 curve";
  }
  const secret = BASE64.test(auth) ? Buffer.from(auth, "base64url") : undefined;
  if (secret?.length !== 16) return "auth must be a 16-byte secret (base64url)";
  return undefined;
}
