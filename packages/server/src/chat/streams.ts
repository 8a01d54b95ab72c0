/**
 * Names of the broker streams, the one place they are spelled. A visitor's stream is keyed by a
 * hash of their token: it exists before their conversation does (every tab of the visitor hears
 * the first message), and the token itself never travels to a broker or its logs.
 */
import { hash } from "node:crypto";

/** Every agent connection listens here: new messages, typing, conversation changes. */
export const AGENTS_STREAM = "agents";

/** Every process listens here for agents' sessions ended elsewhere (sessionWatch.ts). */
export const SESSIONS_STREAM = "sessions";

/** Every process listens here for the owner's settings changed elsewhere (ownerSettings.ts). */
export const SETTINGS_STREAM = "settings";

/** Every process listens here for agents added, renamed, removed or with a new photo (teamFaces.ts). */
export const TEAM_STREAM = "team";

/** Every process listens here for agents' chosen availability and inboxes' activity (§15, availability.ts). */
export const AVAILABILITY_STREAM = "availability";

/** Every visitor subscription of one site listens here: the site's settings changed (§10). */
export function siteStream(siteId: number): string {
  return `site:${siteId}`;
}

/**
 * What every visitor's stream name starts with: the Redis broker hears the whole family through
 * one pattern subscription per node (broker/redisBroker.ts), not a channel per visitor.
 */
export const VISITOR_STREAMS = "visitor:";

/**
 * Every message, typing signal and subscribe names its visitor's stream: the one-shot `hash` makes
 * no Hash object, about half the cost of createHash().update().digest() for a token this short.
 */
export function visitorStream(token: string): string {
  return `${VISITOR_STREAMS}${hash("sha256", token, "base64url").slice(0, 32)}`;
}
