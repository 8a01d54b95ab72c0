/**
 * The chat domain assembled from its parts. server.ts builds one Chat from a store and a broker;
 * channels and HTTP routes use its parts and nothing below them.
 */
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import type { Store } from "../store/store.js";
import type { ChatContext } from "./context.js";
import { ChatEvents } from "./events.js";
import { Inbox } from "./inbox.js";
import { Presence } from "./presence.js";
import { SlidingWindowLimiter, TokenBucketLimiter } from "./rateLimits.js";
import { Sessions } from "./sessions.js";
import { Team } from "./team.js";
import { TypingTracker } from "./typing.js";
import { VisitorConversations } from "./visitorConversations.js";

export interface ChatOptions {
  store: Store;
  broker: Broker;
  logger: Logger;
  rateLimitPerMinute: number;
  newConversationsPerIpPerHour: number;
  /** Called when a session ends (logout, revocation, expiry), to close its sockets. */
  onSessionEnded: (sessionId: string) => void;
  now?: () => Date;
}

const MAINTENANCE_INTERVAL_MS = 60_000;

export class Chat {
  readonly presence = new Presence();
  readonly visitors: VisitorConversations;
  readonly inbox: Inbox;
  readonly team: Team;
  readonly sessions: Sessions;
  private readonly context: ChatContext;
  private maintenanceTimer: NodeJS.Timeout | undefined;

  constructor(options: ChatOptions) {
    const now = options.now ?? (() => new Date());
    const logger = options.logger;
    this.context = {
      store: options.store,
      broker: options.broker,
      events: new ChatEvents(options.broker, this.presence),
      presence: this.presence,
      typing: new TypingTracker((error) => logger.error({ err: error }, "typing expiry broadcast failed")),
      limits: {
        messages: new TokenBucketLimiter(options.rateLimitPerMinute),
        newConversations: new SlidingWindowLimiter(options.newConversationsPerIpPerHour, 60 * 60 * 1000),
      },
      logger,
      now,
    };
    this.visitors = new VisitorConversations(this.context);
    this.inbox = new Inbox(this.context);
    this.sessions = new Sessions(options.store, now, options.onSessionEnded);
    this.team = new Team(options.store, now, (agentId) => this.sessions.endAllOf(agentId));
  }

  get agentsOnline(): boolean {
    return this.presence.anyAgentOnline;
  }

  async agentConnected(agentId: number): Promise<void> {
    if (this.presence.agentConnected(agentId)) await this.context.events.availabilityChanged(true);
  }

  async agentDisconnected(agentId: number): Promise<void> {
    if (this.presence.agentDisconnected(agentId)) await this.context.events.availabilityChanged(false);
  }

  /** Sweeps idle rate-limit entries and ends expired sessions, once a minute. */
  startMaintenance(): void {
    this.maintenanceTimer = setInterval(() => {
      const nowMs = this.context.now().getTime();
      this.context.limits.messages.sweep(nowMs);
      this.context.limits.newConversations.sweep(nowMs);
      this.sessions.endExpired().catch((error: unknown) => {
        this.context.logger.error({ err: error }, "expired session sweep failed");
      });
    }, MAINTENANCE_INTERVAL_MS);
    this.maintenanceTimer.unref();
  }

  stop(): void {
    clearInterval(this.maintenanceTimer);
    this.context.typing.clear();
  }
}
