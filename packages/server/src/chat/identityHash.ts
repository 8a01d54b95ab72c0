/**
 * Verified identity (protocol §12): a site's back end signs its user's id with the site's
 * identity secret (hex HMAC-SHA256), and the widget passes id and hash on. Only a hash made with
 * the current secret for exactly that id passes; the comparison takes the same time whatever the
 * hash, so a guesser learns nothing from how long a refusal took.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** 32 random bytes, base64url: a new site's secret, and every rotation's. */
export function newIdentitySecret(): string {
  return randomBytes(32).toString("base64url");
}

/** What the site's back end computes: hex HMAC-SHA256 of the id, keyed with the secret. */
export function identityHash(secret: string, id: string): string {
  return createHmac("sha256", secret).update(id, "utf8").digest("hex");
}

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

export function isIdentityHashFor(secret: string, id: string, hash: string): boolean {
  if (!HEX_SHA256.test(hash)) return false;
  const expected = Buffer.from(identityHash(secret, id), "hex");
  return timingSafeEqual(expected, Buffer.from(hash, "hex"));
}
