/**
 * Tokens that email links carry and Parley alone can make: a JSON claim, its expiry and an
 * HMAC-SHA256, keyed from SECRET_KEY_BASE with one key per purpose (a reopen link can never
 * stand in for an unsubscribe link, nor either for a file URL or a cookie).
 *
 * Format: `<base64url JSON {…claims, exp: unix seconds}>.<base64url signature>`: URL-safe, so a
 * token goes in a query string or a `#parley=` fragment as it is.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type TokenPurpose = "resume" | "unsubscribe";

export type TokenCheck<T> =
  | { kind: "valid"; claims: T }
  | { kind: "expired" }
  /** Not made by this server for this purpose, altered, or not a token at all. */
  | { kind: "invalid" };

/** Longer than any link Parley makes: refused before any work is done. */
const MAX_TOKEN_LENGTH = 1024;

export class SignedTokens {
  private readonly keys = new Map<TokenPurpose, Buffer>();

  constructor(
    private readonly secretKeyBase: string,
    private readonly now: () => number = Date.now,
  ) {}

  sign<T extends object>(purpose: TokenPurpose, claims: T, expiresAt: Date): string {
    const body = Buffer.from(
      JSON.stringify({ ...claims, exp: Math.floor(expiresAt.getTime() / 1000) }),
    ).toString("base64url");
    return `${body}.${this.signature(purpose, body)}`;
  }

  verify<T extends object>(purpose: TokenPurpose, token: unknown): TokenCheck<T> {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return { kind: "invalid" };
    const dot = token.indexOf(".");
    if (dot <= 0) return { kind: "invalid" };
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.signature(purpose, body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: "invalid" };
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return { kind: "invalid" };
    }
    if (typeof claims !== "object" || claims === null) return { kind: "invalid" };
    const { exp, ...rest } = claims as { exp?: unknown };
    if (typeof exp !== "number") return { kind: "invalid" };
    if (exp * 1000 < this.now()) return { kind: "expired" };
    return { kind: "valid", claims: rest as T };
  }

  private signature(purpose: TokenPurpose, body: string): string {
    let key = this.keys.get(purpose);
    if (key === undefined) {
      key = createHmac("sha256", this.secretKeyBase).update(`parley email ${purpose}`).digest();
      this.keys.set(purpose, key);
    }
    return createHmac("sha256", key).update(body).digest("base64url");
  }
}
