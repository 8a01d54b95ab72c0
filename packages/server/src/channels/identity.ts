/** Who a cable connection is, as the channels see it (cable/ treats it as opaque). */
import type { AgentRef } from "@parley/protocol";
import type { PageOrigin } from "../chat/sites.js";

/**
 * What the upgrade request's headers said about the browser (protocol §12's context), as sent:
 * chat/visitorContext.ts cuts and parses them.
 */
export interface BrowserHeaders {
  userAgent: string | undefined;
  acceptLanguage: string | undefined;
}

/** Visitors' connections carry the page they come from: each site checks it against its origins. */
export type CableIdentity =
  | { kind: "agent"; agent: AgentRef; sessionId: string; browser?: BrowserHeaders }
  /** A visitor whose token came on the URL (`?token=`, the seed's way). */
  | { kind: "visitor"; token: string; page: PageOrigin; browser?: BrowserHeaders }
  /** No credential yet: the widget sends its token in the VisitorChannel identifier. */
  | { kind: "anonymous"; page: PageOrigin; browser?: BrowserHeaders };

/** An agent's socket comes from an agents' origin: trusted with every site (the demo page's widget). */
export function pageOfIdentity(identity: CableIdentity): PageOrigin {
  return identity.kind === "agent" ? { origin: undefined, trusted: true } : identity.page;
}

const SESSION_TAG = "session:";

/** The tag cable/ files a connection under, so ending a session closes its sockets. */
export function sessionTag(sessionId: string): string {
  return SESSION_TAG + sessionId;
}

/** The sessions among connections' tags. */
export function* taggedSessions(tags: Iterable<string>): Generator<string> {
  for (const tag of tags) if (tag.startsWith(SESSION_TAG)) yield tag.slice(SESSION_TAG.length);
}

/** What log lines say about a connection: its kind and an agent's id, never a token or session. */
export function logIdentity(identity: CableIdentity): Record<string, unknown> {
  return identity.kind === "agent"
    ? { identity: "agent", agentId: identity.agent.id }
    : { identity: identity.kind };
}
