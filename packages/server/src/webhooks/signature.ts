/**
 * Signing like Stripe: `Parley-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` of
 * "<t>.<raw body>" keyed with the endpoint's secret. The time inside the signed text lets a
 * receiver refuse old replays; the `v1=` label leaves room for another scheme later.
 */
import { createHmac, randomBytes } from "node:crypto";
import { WEBHOOK_SECRET_PREFIX } from "@parley/protocol";

export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64url")}`;
}

export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
  return `t=${t},v1=${v1}`;
}
