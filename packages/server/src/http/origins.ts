/**
 * Which web origins may talk to Parley with a browser: the ALLOWED_ORIGINS list and the
 * server's own origin. Used for CORS, for cookie-authenticated writes, and for the cable handshake.
 */
import type { IncomingMessage } from "node:http";
import type { ProxyRule } from "./clientAddress.js";

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    allowedOrigins: readonly string[],
    /** The scheme the client used, as TRUST_PROXY allows it to be read. */
    private readonly scheme: ProxyRule["scheme"],
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
    return `${this.scheme(request)}://${host}`;
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
