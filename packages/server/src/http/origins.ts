/**
 * Which web origins may do what with a browser. Two kinds of pages talk to Parley:
 * - sites that embed the widget (ALLOWED_ORIGINS, and every site's own origins, protocol §10;
 *   which site a page may use is the site's to say): anonymous visitor access only, since any
 *   script on such a page (an ad, a compromised dependency) runs with the page's origin;
 * - the agents' inbox: the server's own origin, and AGENT_ORIGINS for an inbox served elsewhere
 *   (the old server's admin page on the website's origin). Only these may use the session cookie.
 * Used for CORS, for cookie-authenticated requests, and for the cable handshake.
 */
import type { IncomingMessage } from "node:http";
import type { ProxyRule } from "./clientAddress.js";

/**
 * - `agent`: the agent's session cookie is honoured, CORS with credentials;
 * - `widget`: visitor access only (VisitorChannel, the widget's own routes), the cookie ignored;
 * - `foreign`: nothing cross-origin, no writes, no cable.
 */
export type OriginAccess = "agent" | "widget" | "foreign";

export class OriginPolicy {
  private readonly widgetOrigins: ReadonlySet<string>;
  private readonly agentOrigins: ReadonlySet<string>;

  constructor(
    widgetOrigins: readonly string[],
    agentOrigins: readonly string[],
    /** The scheme the client used, as TRUST_PROXY allows it to be read. */
    private readonly scheme: ProxyRule["scheme"],
    /** Origins besides these where some site's widget runs (chat/sites.ts knows them, live). */
    private readonly siteOrigin: (origin: string) => boolean = () => false,
  ) {
    this.widgetOrigins = new Set(widgetOrigins);
    this.agentOrigins = new Set(agentOrigins);
  }

  /** The origin a browser would send for a page served by this server. */
  ownOrigin(request: IncomingMessage): string | undefined {
    const host = request.headers.host;
    if (host === undefined) return undefined;
    return `${this.scheme(request)}://${host}`;
  }

  /** The origins agents work from: this server's (as the request reached it) and AGENT_ORIGINS. */
  agentOriginsOf(request: IncomingMessage): string[] {
    const own = this.ownOrigin(request);
    return [...(own === undefined ? [] : [own]), ...this.agentOrigins];
  }

  /**
   * Browsers send Origin on every WebSocket handshake, every cross-origin request whose answer a
   * script may read (CORS) and every cross-site write, and a page cannot make them omit it. A
   * request without one is the inbox's own same-origin read, an answer no script can read (an
   * <img>), or not a browser at all (which holds its cookie itself): no third-party page acts
   * through it.
   */
  accessOf(request: IncomingMessage): OriginAccess {
    const origin = request.headers.origin;
    if (origin === undefined) return "agent";
    if (this.agentOrigins.has(origin) || origin === this.ownOrigin(request)) return "agent";
    if (this.widgetOrigins.has(origin) || this.siteOrigin(origin)) return "widget";
    return "foreign";
  }
}
