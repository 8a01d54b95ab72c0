/**
 * Which web origins may talk to Parley with a browser: the ALLOWED_ORIGINS list and the
 * server's own origin. Used for CORS, for cookie-authenticated writes, and for the cable handshake.
 */
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    allowedOrigins: readonly string[],
    /** Whether X-Forwarded-Proto may be believed (TRUST_PROXY). */
    private readonly trustProxy: boolean,
  ) {
    this.allowed = new Set(allowedOrigins);
  }

  isListed(origin: string): boolean {
    return this.allowed.has(origin);
  }

  /** The origin a browser would send for a page served by this server. */
  ownOrigin(request: IncomingMessage): string | undefined {
    const host = request.headers.host;
    if (host === undefined) return undefined;
    const forwarded = this.trustProxy ? request.headers["x-forwarded-proto"] : undefined;
    const proto =
      typeof forwarded === "string"
        ? forwarded.split(",")[0]!.trim()
        : (request.socket as Partial<TLSSocket>).encrypted
          ? "https"
          : "http";
    return `${proto}://${host}`;
  }

  /**
   * Browsers always send Origin on WebSocket handshakes and cross-site writes; a request without
   * one is not a browser acting for a third-party page, so it is let through.
   */
  allows(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    return this.isListed(origin) || origin === this.ownOrigin(request);
  }
}
