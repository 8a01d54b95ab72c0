/**
 * Links to uploaded files that work in an `<img>` without cookies and stop working on their own:
 * `/uploads/<id>/<variant>?expires=<unix s>&signature=<HMAC-SHA256>`, keyed from SECRET_KEY_BASE.
 * Expiry is rounded up to the hour, so one file keeps one URL for an hour and browsers cache it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type FileVariant = "file" | "thumbnail";
export const FILE_VARIANTS: readonly FileVariant[] = ["file", "thumbnail"];

/** A link stays valid at least this long (a chat open all afternoon keeps its images). */
const MIN_LIFETIME_MS = 12 * 60 * 60 * 1000;
const ROUND_TO_MS = 60 * 60 * 1000;

export type Verdict = "valid" | "expired" | "invalid";

export class SignedUrls {
  private readonly key: Buffer;

  constructor(
    secretKeyBase: string,
    private readonly now: () => number = Date.now,
  ) {
    // A key of its own, so a file signature can never stand in for a cookie's, nor the reverse.
    this.key = createHmac("sha256", secretKeyBase).update("parley attachment urls").digest();
  }

  path(id: number, variant: FileVariant): string {
    const expires = Math.ceil((this.now() + MIN_LIFETIME_MS) / ROUND_TO_MS) * (ROUND_TO_MS / 1000);
    return `/uploads/${id}/${variant}?expires=${expires}&signature=${this.sign(id, variant, expires)}`;
  }

  verify(id: number, variant: FileVariant, expires: unknown, signature: unknown): Verdict {
    if (typeof expires !== "string" || !/^\d{1,12}$/.test(expires) || typeof signature !== "string")
      return "invalid";
    const expected = Buffer.from(this.sign(id, variant, Number(expires)));
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "invalid";
    return Number(expires) * 1000 < this.now() ? "expired" : "valid";
  }

  private sign(id: number, variant: FileVariant, expires: number): string {
    return createHmac("sha256", this.key).update(`${id}/${variant}/${expires}`).digest("base64url");
  }
}
