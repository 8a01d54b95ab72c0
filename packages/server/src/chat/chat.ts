/**
 * The chat domain assembled from its parts. server.ts builds one Chat from a store and a broker;
 * channels and HTTP routes use its parts and nothing below them.
 */
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import type { Store } from "../store/store.js";
import { AgentAlerts } from "./agentAlerts.js";
import type { AgentNotifier } from "./agentNotifier.js";
import { Attachments, type AttachmentFiles } from "./attachments.js";
import type { ChatContext } from "./context.js";
import { ChatEvents } from "./events.js";
import { SharedStoreTail } from "./sharedStoreTail.js";
import { AGENTS_STREAM } from "./streams.js";
import { Inbox } from "./inbox.js";
import { memoryLoginLimiters, PasswordChecks, type LoginLimiters } from "./passwordChecks.js";
import { LocalPresence, type Presence } from "./presence.js";
import { chatLimiters } from "./limitRules.js";
import { memoryLimiter } from "./rateLimits.js";
import { Sessions } from "./sessions.js";
import { SessionWatch } from "./sessionWatch.js";
import { Team } from "./team.js";
import { TypingTracker } from "./typing.js";
import { VisitorConversations } from "./visitorConversations.js";

export interface ChatOptions {
  store: Store;
  broker: Broker;
  logger: Logger;
  rateLimitPerMinute: number;
  newConversationsPerIpPerHour: number;
  /** Visitors' uploads one address may make per hour; 0: no cap. */
  uploadsPerIpPerHour: number;
  /** Bytes one address may hold in uploads no message carries yet; 0: no cap. */
  uploadBytesPerIp: number;
  /** Called when a session ends (logout, revocation, expiry), here or elsewhere, to close its sockets. */
  onSessionEnded: (sessionId: string) => void;
  /**
   * The sessions this process's sockets serve, checked against the store every second
   * (sessionWatch.ts); none (the CLI): the process holds no sockets.
   */
  heldSessions?: () => Iterable<string>;
  /** Defaults to this process's memory (one node). */
  presence?: Presence;
  /** Default to in-memory limiters from the settings above. */
  limits?: ChatContext["limits"];
  /** Password guessing (passwordChecks.ts); defaults to this process's memory. */
  loginLimits?: LoginLimiters;
  /** Reaches agents who are not watching the inbox (web push); none: nobody is alerted. */
  notifier?: AgentNotifier;
  /** Blob storage, checks and links for attachments; none (the CLI): attachments are refused. */
  files?: AttachmentFiles;
  /**
   * Read the store's tail to publish messages nobody published (sharedStoreTail.ts): `local`
   * when the broker does not span processes (a deploy swap on one SQLite file), `cluster` when it
   * does (a node that died between commit and publish).
   */
  storeTail?: "local" | "cluster";
  now?: () => Date;
}

const MAINTENANCE_INTERVAL_MS = 60_000;
/** In a cluster, how long a committed message may go unseen on the broker before a tail publishes it. */
const CLUSTER_TAIL_GRACE_MS = 1500;

export class Chat {
  readonly presence: Presence;
  readonly visitors: VisitorConversations;
  readonly inbox: Inbox;
  readonly attachments: Attachments;
  readonly team: Team;
  readonly sessions: Sessions;
  readonly passwords: PasswordChecks;
  private readonly context: ChatContext;
  private maintenanceTimer: NodeJS.Timeout | undefined;
  private readonly tail: SharedStoreTail | undefined;
  private readonly sessionWatch: SessionWatch | undefined;
  private tailWatchesBroker = false;
  private unsubscribeTail: (() => void) | undefined;

  constructor(options: ChatOptions) {
    const now = options.now ?? (() => new Date());
    const logger = options.logger;
    this.presence = options.presence ?? new LocalPresence();
    this.context = {
      store: options.store,
      broker: options.broker,
      events: new ChatEvents(options.broker, this.presence),
      alerts: new AgentAlerts(this.presence, options.notifier, logger),
      presence: this.presence,
      typing: new TypingTracker((error) => logger.error({ err: error }, "typing expiry broadcast failed")),
      limits: options.limits ?? chatLimiters(options, memoryLimiter),
      logger,
      now,
    };
    this.attachments = new Attachments(this.context, options.files, { heldBytesPerAddress: options.uploadBytesPerIp });
    this.visitors = new VisitorConversations(this.context, this.attachments);
    this.inbox = new Inbox(this.context, this.attachments);
    this.sessions = new Sessions(this.context, options.onSessionEnded);
    if (options.heldSessions !== undefined) {
      this.sessionWatch = new SessionWatch({ ...this.context, held: options.heldSessions, onEnded: options.onSessionEnded });
    }
    this.team = new Team(options.store, now, (agentId) => this.sessions.endAllOf(agentId));
    this.passwords = new PasswordChecks(this.team, options.loginLimits ?? memoryLoginLimiters(), now);
    if (options.storeTail !== undefined) {
      const graceMs = options.storeTail === "cluster" ? CLUSTER_TAIL_GRACE_MS : 0;
      this.tail = new SharedStoreTail(options.store, this.attachments, this.context.events, logger, graceMs);
      this.context.events.onMessagePublished = this.tail.noteSeen;
      this.tailWatchesBroker = options.storeTail === "cluster";
    }
  }

  get agentsOnline(): boolean {
    return this.presence.anyAgentOnline;
  }

  agentConnected(agentId: number): Promise<void> {
    return this.presence.agentConnected(agentId);
  }

  agentDisconnected(agentId: number): Promise<void> {
    return this.presence.agentDisconnected(agentId);
  }

  /** Whether the agent has the inbox open on any node; such an agent is not sent pushes. */
  isAgentWatching(agentId: number): Promise<boolean> {
    return this.context.alerts.isWatching(agentId);
  }

  /** Each node tells its own visitors when "any agent online" flips (presence.ts). */
  onAvailabilityChange(listener: (online: boolean) => void): () => void {
    return this.presence.onAvailabilityChange(listener);
  }

  /**
   * Starts the background work: the shared-store tail when asked for, the watch on sessions
   * ended elsewhere, and once a minute the sweep of idle rate-limit entries, expired sessions and
   * unwanted files.
   */
  async startMaintenance(): Promise<void> {
    await this.sessionWatch?.start();
    if (this.tail !== undefined && this.tailWatchesBroker) {
      // Every message crosses the agents' stream: what shows there was published by someone.
      const noteSeen = this.tail.noteSeen;
      this.unsubscribeTail = await this.context.broker.subscribe(AGENTS_STREAM, ({ event }) => {
        if (event.type === "new_message") noteSeen(event.message.id);
      });
    }
    await this.tail?.start();
    this.maintenanceTimer = setInterval(() => {
      const nowMs = this.context.now().getTime();
      this.context.limits.messages.sweep(nowMs);
      this.context.limits.newConversations.sweep(nowMs);
      this.context.limits.uploads.sweep(nowMs);
      this.passwords.sweep(nowMs);
      this.attachments.sweep().catch((error: unknown) => {
        this.context.logger.error({ err: error }, "attachment sweep failed");
      });
      this.sessions.endExpired().catch((error: unknown) => {
        this.context.logger.error({ err: error }, "expired session sweep failed");
      });
    }, MAINTENANCE_INTERVAL_MS);
    this.maintenanceTimer.unref();
  }

  /** Delivers what other processes committed up to now (the last read of a shutdown). */
  async flushTail(): Promise<void> {
    await this.tail?.read();
  }

  stop(): void {
    clearInterval(this.maintenanceTimer);
    this.sessionWatch?.stop();
    this.tail?.stop();
    this.unsubscribeTail?.();
    this.context.typing.clear();
  }
}
