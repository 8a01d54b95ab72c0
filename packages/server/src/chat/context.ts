/** What every part of chat/ is built from: handed in by server.ts, never reached globally. */
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import type { Store } from "../store/store.js";
import type { AgentAlerts } from "./agentAlerts.js";
import type { ChatEvents } from "./events.js";
import type { Presence } from "./presence.js";
import type { Limiter } from "./rateLimits.js";
import type { SiteTeams } from "./siteTeams.js";
import type { TypingTracker } from "./typing.js";

export interface ChatContext {
  store: Store;
  broker: Broker;
  events: ChatEvents;
  /** Tells agents who are not watching about visitor messages (web push). */
  alerts: AgentAlerts;
  presence: Presence;
  /** Who answers which site (protocol §10). */
  teams: SiteTeams;
  typing: TypingTracker;
  limits: {
    /** Messages per visitor token. */
    messages: Limiter;
    /** New conversations per client address. */
    newConversations: Limiter;
    /** Visitors' uploads per client address (their tokens are the client's invention). */
    uploads: Limiter;
    /** Page views stored per visitor token (protocol §12). */
    pages: Limiter;
    pagesPerAddress: Limiter;
    /** Identify and contact details per visitor token (protocol §12). */
    contactWritesPerToken: Limiter;
    /** Identify and contact details per client address. */
    contactWritesPerAddress: Limiter;
    /** REST requests per API token. */
    api: Limiter;
    /** Photo uploads per agent (protocol §14). */
    avatars: Limiter;
  };
  logger: Logger;
  now(): Date;
}
