/**
 * Who a cable connection is, decided at the upgrade from what HTTP knows (the origin and the
 * session cookie) and what chat/ knows (whether the session is live). Composition glue: cable/
 * treats the identity as opaque, and channels/ and http/ never call each other.
 */
import type { IncomingMessage } from "node:http";
import type { Authenticated } from "./cable/cableServer.js";
import { sessionTag, type CableIdentity } from "./channels/identity.js";
import type { Sessions } from "./chat/sessions.js";
import { isVisitorToken } from "./chat/validate.js";
import type { OriginPolicy } from "./http/origins.js";
import { sessionSecretFrom } from "./http/sessionCookie.js";

export interface CableAuthenticationDeps {
  origins: Pick<OriginPolicy, "accessOf">;
  sessions: Pick<Sessions, "resolve">;
  /** The HTTP app's cookie parsing and signature check. */
  cookies: {
    parse(header: string): Record<string, string | undefined>;
    unsign(value: string): string | null;
  };
}

export function authenticateCable(deps: CableAuthenticationDeps) {
  return async (request: IncomingMessage): Promise<Authenticated<CableIdentity> | null> => {
    // From a page that only embeds the widget the agent's cookie is ignored: anonymous, so
    // AdminChannel is refused (http/origins.ts).
    const access = deps.origins.accessOf(request);
    // Kept for the `page` action (protocol §12): the widget's page runs in this browser.
    const browser = {
      userAgent: request.headers["user-agent"],
      acceptLanguage: request.headers["accept-language"],
    };
    const cookie = access === "agent" ? request.headers.cookie : undefined;
    const secret = sessionSecretFrom(cookie, deps.cookies);
    const active = secret === undefined ? undefined : await deps.sessions.resolve(secret);
    if (active !== undefined) {
      const { agent, session } = active;
      return {
        identity: {
          kind: "agent",
          agent: { id: agent.id, name: agent.name },
          sessionId: session.id,
          browser,
        },
        tags: [sessionTag(session.id)],
      };
    }
    // Which site's origins this page may use is decided per subscription (VisitorChannel).
    const page = { origin: request.headers.origin, trusted: access === "agent" };
    const token = new URL(request.url ?? "/", "http://localhost").searchParams.get("token");
    if (token === null) return { identity: { kind: "anonymous", page, browser }, tags: [] };
    return isVisitorToken(token) ? { identity: { kind: "visitor", token, page, browser }, tags: [] } : null;
  };
}
