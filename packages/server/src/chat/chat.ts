/**
 * The chat domain assembled from its parts. server.ts builds one Chat from a store and a broker;
 * channels and HTTP routes use its parts and nothing below them.
 */
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import type { Store, StoredMessage } from "../store/store.js";
import { AgentAlerts } from "./agentAlerts.js";
import { AuditLog } from "./auditLog.js";
import { Reports } from "./reports.js";
import { Availability } from "./availability.js";
import { CannedReplies } from "./cannedReplies.js";
import { Notes, type MentionNotifier } from "./notes.js";
import { RoundRobin } from "./roundRobin.js";
import type { AgentNotifier } from "./agentNotifier.js";
import { Attachments, type AttachmentFiles } from "./attachments.js";
import { Avatars, type AvatarFiles } from "./avatars.js";
import type { ChatContext } from "./context.js";
import { Contacts } from "./contacts.js";
import { ChatEvents } from "./events.js";
import { ApiTokens } from "./apiTokens.js";
import { Inbox } from "./inbox.js";
import { memoryLoginLimiters, PasswordChecks, type LoginLimiters } from "./passwordChecks.js";
import { LocalPresence, type Presence } from "./presence.js";
import { liveChatLimiters } from "./limitRules.js";
import { memoryLimiter, type Limiter, type LimitRule } from "./rateLimits.js";
import { OwnerSettingsService } from "./ownerSettings.js";
import { ReplyTimes } from "./replyTimes.js";
import { Sessions } from "./sessions.js";
import { SiteAvailability } from "./siteAvailability.js";
import { Sites, type EnvironmentWidget } from "./sites.js";
import { SiteTeams } from "./siteTeams.js";
import { Team } from "./team.js";
import { TeamFaces } from "./teamFaces.js";
import { TypingTracker } from "./typing.js";
import { VisitorConversations } from "./visitorConversations.js";
import { VisitorPages } from "./visitorPages.js";
import { Workflow } from "./workflow.js";
import { Ratings } from "./ratings.js";
import type { JobQueue } from "../jobs/queue.js";

export interface ChatOptions {
  store: Store;
  broker: Broker;
  logger: Logger;
  rateLimitPerMinute: number;
  newConversationsPerIpPerHour: number;
  /** Visitors' uploads one address may make per hour; 0: no cap. */
  uploadsPerIpPerHour: number;
  /** REST requests one API token may make per minute; default 600. */
  apiRequestsPerMinute?: number;
  /** Bytes one address may hold in uploads no message carries yet; 0: no cap. */
  uploadBytesPerIp: number;
  /** The largest upload (MAX_UPLOAD_MB in bytes); 10 MB when not given. */
  maxUploadBytes?: number;
  /** The owner settings (protocol §10) an environment variable sets. */
  ownerSettingsFromEnvironment?: OwnerSettingsService["options"]["fixed"];
  /** The widget fields WIDGET_* set: fixed on the default site. */
  widgetFromEnvironment?: EnvironmentWidget;
  /** ALLOWED_ORIGINS: the default site's origins while it names none of its own. */
  allowedOrigins?: readonly string[];
  /** Defaults to this process's memory (one node). */
  presence?: Presence;
  /** Fixed limiters (tests); by default built by `makeLimiter` from the owner settings, live. */
  limits?: ChatContext["limits"];
  /** Where limits count: memory (the default) or Redis (cluster/sharedState.ts). */
  makeLimiter?: (rule: LimitRule) => Limiter;
  /** Password guessing (passwordChecks.ts); defaults to this process's memory. */
  loginLimits?: LoginLimiters;
  /** Reaches agents who are not watching the inbox (web push); none: nobody is alerted. */
  notifier?: AgentNotifier & Partial<MentionNotifier>;
  /** Who answers which site; defaults to reading the store. */
  teams?: SiteTeams;
  /** Blob storage, checks and links for attachments; none (the CLI): attachments are refused. */
  files?: AttachmentFiles;
  /** Blob storage and the image pipeline for agents' photos (§14); none (the CLI): refused. */
  avatarFiles?: AvatarFiles;
  /** (§15) The durable job queue snooze wake-ups wait in; none (the CLI): timed snoozes are refused. */
  jobs?: JobQueue;
  /** (§16) Whether Parley sends email (SMTP_URL, MAIL_FROM and PUBLIC_URL set); default off. */
  emailEnabled?: boolean;
  now?: () => Date;
}

const MAINTENANCE_INTERVAL_MS = 60_000;
const MB = 1024 * 1024;
const DEFAULT_MAX_UPLOAD_BYTES = 10 * MB;

export class Chat {
  readonly presence: Presence;
  /** Who answers which site. */
  readonly teams: SiteTeams;
  /** Whether each site's team is online (start() before taking visitors). */
  readonly siteAvailability: SiteAvailability;
  readonly visitors: VisitorConversations;
  /** Contacts and verified identity (protocol §12). */
  readonly contacts: Contacts;
  /** Visitors' page views (protocol §12). */
  readonly visitorPages: VisitorPages;
  readonly inbox: Inbox;
  /** (§15) States, labels and view counts. */
  readonly workflow: Workflow;
  /** (§18) Satisfaction ratings: asked on a resolve, given by visitors. */
  readonly ratings: Ratings;
  readonly attachments: Attachments;
  /** Agents' photos (protocol §14). */
  readonly avatars: Avatars;
  /** The faces each site's widget shows (start() before taking visitors). */
  readonly faces: TeamFaces;
  /** Each site's typical first reply, cached (protocol §14). */
  readonly replyTimes: ReplyTimes;
  readonly team: Team;
  readonly sessions: Sessions;
  readonly passwords: PasswordChecks;
  readonly apiTokens: ApiTokens;
  readonly sites: Sites;
  readonly settings: OwnerSettingsService;
  /** Agents' chosen and derived availability (protocol §15; start() before taking agents). */
  readonly availability: Availability;
  /** Private notes (protocol §15). */
  readonly notes: Notes;
  /** Canned replies (protocol §15). */
  readonly cannedReplies: CannedReplies;
  /** What this process publishes (the store tail skips those ids). */
  readonly events: ChatEvents;
  /** (§17) Who did what: the trail every audited action records through, and its listing. */
  readonly audit: AuditLog;
  /** (§18) Reports: owners' and agents' figures over a period. */
  readonly reports: Reports;
  private readonly context: ChatContext;
  private maintenanceTimer: NodeJS.Timeout | undefined;

  constructor(options: ChatOptions) {
    const now = options.now ?? (() => new Date());
    const logger = options.logger;
    this.presence = options.presence ?? new LocalPresence();
    this.events = new ChatEvents(options.broker, this.presence);
    this.teams = options.teams ?? new SiteTeams(options.store);
    this.settings = new OwnerSettingsService(options.store, now, {
      broker: options.broker,
      defaults: {
        rate_limit_per_minute: options.rateLimitPerMinute,
        new_conversations_per_ip_per_hour: options.newConversationsPerIpPerHour,
        max_upload_mb: Math.round((options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES) / MB),
      },
      fixed: options.ownerSettingsFromEnvironment ?? [],
      uploadBytesPerIp: options.uploadBytesPerIp,
    });
    this.audit = new AuditLog({
      store: options.store,
      logger,
      now,
      keepDays: () => this.settings.current().audit_log_days,
    });
    this.reports = new Reports(options.store);
    this.availability = new Availability({
      presence: this.presence,
      store: options.store,
      broker: options.broker,
      idleMinutes: () => this.settings.current().away_after_idle_minutes,
      now,
      logger,
    });
    this.settings.changed.on(() => this.availability.sweep());
    // A site's widget is online only while one of its agents is `online` (§15), not just connected.
    this.siteAvailability = new SiteAvailability(this.availability, options.store, options.broker, logger);
    this.context = {
      store: options.store,
      broker: options.broker,
      events: this.events,
      alerts: new AgentAlerts(this.presence, this.teams, options.notifier, logger),
      presence: this.presence,
      teams: this.teams,
      typing: new TypingTracker((error) => logger.error({ err: error }, "typing expiry broadcast failed")),
      limits:
        options.limits ??
        liveChatLimiters(options, () => this.settings.current(), options.makeLimiter ?? memoryLimiter),
      logger,
      now,
    };
    this.attachments = new Attachments(this.context, options.files, {
      heldBytesPerAddress: options.uploadBytesPerIp,
    });
    const roundRobin = new RoundRobin(this.context, this.availability, () => this.settings.current());
    this.visitors = new VisitorConversations(this.context, this.attachments, {
      started: (conversation) => roundRobin.conversationStarted(conversation),
    });
    this.ratings = new Ratings(this.context);
    const afterStateChange = this.ratings.afterStateChange.bind(this.ratings);
    this.inbox = new Inbox(this.context, this.attachments, {
      assignOnReply: () => this.settings.current().assign_on_reply,
      afterStateChange,
    });
    this.workflow = new Workflow(this.context, this.inbox, options.jobs, afterStateChange);
    this.contacts = new Contacts(this.context);
    const notifier = options.notifier;
    this.notes = new Notes(
      this.context,
      this.inbox,
      notifier?.notifyMentioned === undefined
        ? undefined
        : { notifyMentioned: (agentIds, note) => notifier.notifyMentioned!(agentIds, note) },
    );
    this.cannedReplies = new CannedReplies(this.context);
    this.visitorPages = new VisitorPages(this.context);
    this.sessions = new Sessions(this.context);
    this.faces = new TeamFaces(options.store, this.presence, options.broker, logger);
    this.replyTimes = new ReplyTimes(options.store, now, logger);
    this.avatars = new Avatars(this.context, options.avatarFiles, () => this.faces.changed());
    this.team = new Team(options.store, now, (agentId) => this.sessions.endAllOf(agentId), {
      changed: () => this.faces.changed(),
      removed: (agent) => this.avatars.discard(agent.avatarFile),
    });
    this.apiTokens = new ApiTokens(options.store, now);
    this.sites = new Sites(options.store, now, {
      broker: options.broker,
      // Asked as a change is announced: the site's new team counts at once here (other nodes take
      // it from the site_updated they hear), so its visitors hear the flip before the new config.
      agentsOnline: (siteId) => this.siteAvailability.reread(siteId),
      faces: (site) => ({
        team: this.faces.of(site),
        reply_time_seconds: this.replyTimes.current(site.id),
      }),
      email: () => {
        const minutes = this.settings.current().ask_email_after_minutes;
        return {
          email_enabled: options.emailEnabled ?? false,
          ask_email_after_seconds: minutes === 0 ? null : minutes * 60,
        };
      },
      ...(options.widgetFromEnvironment === undefined ? {} : { environment: options.widgetFromEnvironment }),
      ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
    });
    this.passwords = new PasswordChecks(this.team, options.loginLimits ?? memoryLoginLimiters());
  }

  /** Counts one REST request of an API token; refuses past API_REQUESTS_PER_MINUTE. */
  takeApiRequest(tokenId: number) {
    return this.context.limits.api.take(String(tokenId));
  }

  /** `inbox`: the connection, for its activity (availability.ts). */
  agentConnected(agentId: number, inbox?: object): Promise<void> {
    if (inbox !== undefined) this.availability.connected(agentId, inbox);
    return this.presence.agentConnected(agentId);
  }

  agentDisconnected(agentId: number, inbox?: object): Promise<void> {
    if (inbox !== undefined) this.availability.disconnected(agentId, inbox);
    return this.presence.agentDisconnected(agentId);
  }

  /**
   * Publishes a message that was committed but that nobody published: another process's, or a
   * dead node's (delivery/sharedStoreTail.ts finds them).
   */
  async publishCommitted(row: StoredMessage): Promise<void> {
    const conversation = await this.context.store.getConversation(row.conversationId);
    if (conversation === undefined) return;
    const [message] = await this.attachments.toWireMessages([row]);
    if (message !== undefined) await this.events.wireMessagePosted(conversation, message);
  }

  /**
   * Reads the team's faces and starts computing every live site's reply time in the background
   * (replyTimes.ts), so the first widgets after a boot mostly find it. Before taking visitors.
   */
  async startFaces(): Promise<void> {
    await this.faces.start();
    for (const site of await this.context.store.listSites())
      if (site.archivedAt === null) void this.replyTimes.refresh(site.id);
  }

  /** Starts the sweep, once a minute, of expired sessions and unwanted files (limiters expire keys themselves). */
  startMaintenance(): void {
    this.maintenanceTimer = setInterval(() => {
      this.attachments.sweep().catch((error: unknown) => {
        this.context.logger.error({ err: error }, "attachment sweep failed");
      });
      this.sessions.endExpired().catch((error: unknown) => {
        this.context.logger.error({ err: error }, "expired session sweep failed");
      });
      // A notice of another node's site change missed (Redis away): healed within the minute.
      this.sites.load().catch((error: unknown) => {
        this.context.logger.error({ err: error }, "reading the sites failed");
      });
      this.settings.load().catch((error: unknown) => {
        this.context.logger.error({ err: error }, "reading the owner settings failed");
      });
      this.faces.load().catch((error: unknown) => {
        this.context.logger.error({ err: error }, "reading the team's faces failed");
      });
    }, MAINTENANCE_INTERVAL_MS);
    this.maintenanceTimer.unref();
  }

  stop(): void {
    clearInterval(this.maintenanceTimer);
    this.availability.stop();
    this.siteAvailability.stop();
    this.faces.stop();
    this.context.typing.clear();
  }
}
