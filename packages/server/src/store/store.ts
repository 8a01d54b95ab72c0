/**
 * The store: everything Parley keeps. One interface, two engines (SQLite by default, Postgres
 * with DATABASE_URL), chosen once in main.ts. chat/ speaks only this interface.
 *
 * Contract for every implementation:
 * - Message ids grow strictly with every insert, across all conversations, and are never reused
 *   (SQLite AUTOINCREMENT, Postgres identity), so `since` catch-up works after restarts.
 * - `appendMessage` is atomic: the message row and the conversation's counters change together,
 *   and `(conversation_id, client_id)` is unique, so concurrent retries of one send store one row.
 * - One conversation per visitor token is a unique constraint: concurrent `createConversation`
 *   calls for one token all return the same row.
 * - Timestamps are ISO 8601 UTC strings with milliseconds; they sort as text.
 */
import type {
  AgentAvailability,
  AgentRole,
  ApiTokenScope,
  BusinessHours,
  ContactAttributeValue,
  ConversationState,
  ConversationStatus,
  Sender,
  SiteWidgetSettings,
} from "@parley/protocol";
import type { TeamWorkStore } from "./teamWorkStore.js";
import type { WebhookStore } from "./webhookStore.js";
import type { EmailStore } from "./emailStore.js";
import type { EmailInboundStore } from "./emailInboundStore.js";
import type { AuditStore } from "./auditStore.js";
import type { WorkflowStore } from "./workflowStore.js";
import type { PrivacyStore } from "./privacyStore.js";
import type { RatingStore, StoredRating } from "./ratingStore.js";
import type { ReportStore } from "./reportStore.js";

export interface StoredMessage {
  id: number;
  conversationId: number;
  sender: Sender;
  content: string;
  createdAt: string;
  clientId: string | null;
  agentId: number | null;
  /** The agent's name when the message was written, kept if the agent is removed later. */
  agentName: string | null;
  /** (§16) `email`: a visitor's answer by email; absent otherwise. */
  via?: "email";
}

/** A conversation's first visitor message and the first agent reply to it (reply times). */
export interface FirstReply {
  conversationId: number;
  visitorAt: string;
  replyAt: string | null;
}

export interface StoredConversation {
  id: number;
  visitorToken: string;
  visitorName: string | null;
  status: ConversationStatus;
  assigneeId: number | null;
  /** Visitor messages since an agent last marked the conversation read. */
  unreadCount: number;
  lastReadMessageId: number;
  createdAt: string;
  updatedAt: string;
  visitorLastSeenAt: string | null;
  /** The site (protocol §10) the conversation started on. */
  siteId: number;
  /** The contact (protocol §12) it is with; null until known. */
  contactId: number | null;
  /** (§15) `status` is `closed` exactly when this is `resolved`. */
  state: ConversationState;
  /** (§15) Only while `snoozed`; null: until the visitor writes. */
  snoozedUntil: string | null;
  /** (§15) By id, ascending. */
  labelIds: number[];
  lastMessage: StoredMessage | null;
  /** The latest message's files, for its preview text; null when it has none (or there is none). */
  lastMessageFiles: { count: number; firstName: string } | null;
  /** (§18) When the widget was last asked for a rating; null: never. */
  ratingRequestedAt: string | null;
  /** (§18) The visitor's rating; null: none. */
  rating: StoredRating | null;
}

/**
 * A conversation without its latest message and that message's files: its own row, label ids and
 * rating. Reading the latest message is most of what a conversation read costs; a caller that
 * has no use for it (a visitor's send, which then knows the new latest message) reads this.
 */
export type BareConversation = Omit<StoredConversation, "lastMessage" | "lastMessageFiles">;

/** A site (protocol §10) as kept: its JSON columns parsed, nothing checked (chat/sites.ts checks). */
export interface StoredSite {
  id: number;
  /** Public, unique. */
  key: string;
  name: string;
  /** Exactly one site is the default: the one that existed before sites did. */
  isDefault: boolean;
  archivedAt: string | null;
  /** For the default site, [] means ALLOWED_ORIGINS. */
  allowedOrigins: string[];
  widget: SiteWidgetSettings;
  businessHours: BusinessHours | null;
  /** null: every agent answers the site. */
  agentIds: number[] | null;
  /** The HMAC key identify hashes are made with (protocol §12); never sent but to owners. */
  identitySecret: string;
  identityRequired: boolean;
  keepQueryStrings: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewSite {
  key: string;
  name: string;
  allowedOrigins: string[];
  widget: SiteWidgetSettings;
  businessHours: BusinessHours | null;
  agentIds: number[] | null;
  /** Absent: a new random one. */
  identitySecret?: string;
  identityRequired?: boolean;
  keepQueryStrings?: boolean;
  at: string;
}

/** What is present changes (whole: `widget` is replaced, not merged); `at` becomes updatedAt. */
export interface SitePatch {
  name?: string;
  allowedOrigins?: string[];
  widget?: SiteWidgetSettings;
  businessHours?: BusinessHours | null;
  agentIds?: number[] | null;
  archivedAt?: string | null;
  identitySecret?: string;
  identityRequired?: boolean;
  keepQueryStrings?: boolean;
  at: string;
}

/** A contact (protocol §12) as kept: attributes parsed, nothing checked (chat/contacts.ts checks). */
export interface StoredContact {
  id: number;
  siteId: number;
  externalId: string | null;
  verified: boolean;
  name: string | null;
  email: string | null;
  attributes: Record<string, ContactAttributeValue>;
  /** The contact's own visitor token. */
  sessionToken: string;
  firstSeenAt: string;
  lastSeenAt: string;
  createdAt: string;
  updatedAt: string;
  /** (§16) The language of their emails, as the widget gave it (BCP 47); null: none given. */
  locale: string | null;
  /** (§16) When they unsubscribed from the site's emails; null: never. */
  emailUnsubscribedAt: string | null;
}

export type NewContact = Omit<
  StoredContact,
  "id" | "createdAt" | "updatedAt" | "firstSeenAt" | "lastSeenAt" | "locale" | "emailUnsubscribedAt"
> & {
  at: string;
  locale?: string | null;
};

/** What is present changes (attributes whole); `at` becomes updatedAt. */
export interface ContactPatch {
  externalId?: string | null;
  verified?: boolean;
  name?: string | null;
  email?: string | null;
  attributes?: Record<string, ContactAttributeValue>;
  sessionToken?: string;
  firstSeenAt?: string;
  lastSeenAt?: string;
  locale?: string | null;
  emailUnsubscribedAt?: string | null;
  at: string;
}

export interface ContactFilter {
  /** Only contacts of these sites ([]: none); undefined: every site. */
  siteIds?: number[];
  /** Case-insensitive match on name or email. */
  search?: string;
  /** Keyset paging: ids below this one. */
  beforeId?: number;
  limit: number;
}

export interface StoredPageView {
  url: string;
  title: string | null;
  at: string;
}

/** One visitor token on one site (protocol §12's context). */
export interface StoredVisitor {
  id: number;
  siteId: number;
  token: string;
  contactId: number | null;
  firstPage: StoredPageView | null;
  referrer: string | null;
  utm: Record<string, string>;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  language: string | null;
  timeZone: string | null;
  ipAddress: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** What a page view tells of the visitor; null or absent fields leave the stored value. */
export interface VisitorSighting {
  page: StoredPageView;
  /** Kept only while the visitor has none (the first referrer says where they came from). */
  referrer: string | null;
  /** Kept only while the visitor has none (the first campaign that brought them). */
  utm: Record<string, string>;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  language: string | null;
  timeZone: string | null;
  ipAddress: string | null;
  /** Pages beyond this many, oldest first, are deleted. */
  keepPages: number;
}

/** Owner settings by name, their JSON values parsed; which names and values are valid is chat/'s. */
export type StoredOwnerSettings = Record<string, unknown>;

export interface StoredAgent {
  id: number;
  username: string;
  name: string;
  role: AgentRole;
  passwordHash: string;
  createdAt: string;
  /** The photo's name (protocol §14): blob `avatars/<it>`, URL `/avatars/<it>`; null: none. */
  avatarFile: string | null;
  /** (§15) What the agent chose; what others see also depends on their inboxes (chat/availability.ts). */
  chosenAvailability: AgentAvailability;
  /** (§15) When the round-robin last gave them a conversation; null: never. */
  lastAutoAssignedAt: string | null;
}

export interface StoredSession {
  /** SHA-256 of the cookie's secret: a stolen database does not yield live sessions. */
  id: string;
  agentId: number;
  createdAt: string;
  expiresAt: string;
}

export interface StoredPushSubscription {
  id: number;
  agentId: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  createdAt: string;
}

/** An agent's personal API token, as kept: its hash, never the token. */
export interface StoredApiToken {
  id: number;
  agentId: number;
  name: string;
  scope: ApiTokenScope;
  tokenHash: string;
  /** The token's first characters, to tell tokens apart. */
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** A job as the queue keeps it: `attempts` counts failed runs, not postponements. */
export interface StoredJob {
  id: number;
  kind: string;
  /** JSON text; the handler of `kind` parses it. */
  payload: string;
  state: "pending" | "running";
  dedupeKey: string | null;
  runAt: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

/** A job this worker holds until `leaseUntil`; only its `leaseToken` may finish or reschedule it. */
export interface ClaimedJob extends StoredJob {
  leaseToken: string;
  leaseUntil: string;
}

export interface NewJob {
  kind: string;
  payload: string;
  runAt: string;
  /** When set and a pending job has the same key, nothing is added (see enqueueJob). */
  dedupeKey?: string | null;
  at: string;
}

/** A job that collapses with a pending one of the same key. */
export interface DedupedJob extends NewJob {
  dedupeKey: string;
}

/** The last push an agent was sent about a conversation (the once-a-minute collapse). */
export interface PushThrottle {
  agentId: number;
  conversationId: number;
  lastSentAt: string;
  /** The newest message that push told about. */
  lastMessageId: number;
}

/** An uploaded file; `messageId` is null until a message carries it (and again once that is deleted). */
export interface StoredAttachment {
  id: number;
  /** The blob's key in the BlobStore; `thumbnailKey` is set for images only. */
  storageKey: string;
  thumbnailKey: string | null;
  filename: string;
  /** Decided from the file's bytes, never from its name or the client's claim. */
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  uploadedBy: "visitor" | "agent";
  /** The uploading visitor's token (uploadedBy "visitor"). */
  visitorToken: string | null;
  /** The uploading agent (uploadedBy "agent"); null once that agent is removed. */
  agentId: number | null;
  messageId: number | null;
  /** When a message first carried it; never cleared, so a detached row is not attachable again. */
  attachedAt: string | null;
  createdAt: string;
  /**
   * The visitor's address, kept only until a message carries the upload: what one address holds
   * unattached is capped (createAttachment's quota). Null for agents' uploads.
   */
  uploaderIp: string | null;
}

export type NewAttachment = Omit<StoredAttachment, "id" | "messageId" | "attachedAt" | "createdAt"> & {
  at: string;
};

/** An address's uploads waiting to be attached (see createAttachment's quota). */
export interface HeldUploads {
  bytes: number;
  /** The oldest one's createdAt; null when none. */
  oldestAt: string | null;
}

/** Which uploads a new message may take: all must qualify, or the message is not stored. */
export interface AttachmentClaim {
  ids: number[];
  /** A visitor takes only their own uploads; an agent takes any agent's. */
  uploader: { kind: "visitor"; token: string } | { kind: "agent" };
  /** Uploads older than this are left to the sweep and can no longer be attached. */
  createdSince: string;
}

export interface NewMessage {
  conversationId: number;
  sender: Sender;
  content: string;
  clientId: string | null;
  agentId: number | null;
  agentName: string | null;
  /** Set on the conversation in the same transaction (the visitor may rename themselves). */
  visitorName?: string | null;
  /** Uploads linked to the new message in its transaction (see appendMessage). */
  attachments?: AttachmentClaim;
  /** (§16) How the message came, when not through a client: `email`. */
  via?: "email";
  at: string;
}

/** A message together with the conversation it starts (see appendFirstMessage). */
export type NewFirstMessage = Omit<NewMessage, "conversationId"> & {
  conversation: {
    token: string;
    visitorName: string | null;
    createdIp: string | null;
    siteId: number;
    contactId?: number | null;
  };
};

export interface ConversationFilter {
  status?: ConversationStatus;
  /** (§15) Only these states; wins over `status`. */
  states?: ConversationState[];
  /** (§15) Only conversations carrying this label. */
  labelId?: number;
  /** A number: assigned to that agent; null: unassigned; undefined: anyone. */
  assigneeId?: number | null;
  /** Only conversations of these sites ([]: none at all); undefined: every site. */
  siteIds?: number[];
  /** Case-insensitive match on the visitor's name or any message's text. */
  search?: string;
  /** Only the conversations of this contact. */
  contactId?: number;
  /** Keyset paging: only conversations ordered after this one (updated_at desc, id desc). */
  before?: { updatedAt: string; id: number };
  limit: number;
}

export interface ConversationPatch {
  /** The seed's status: `closed` sets the state `resolved`, `open` sets `open` (ignored with `state`). */
  status?: ConversationStatus;
  /** (§15) Sets `status` too; `snoozedUntil` is cleared unless given with `snoozed`. */
  state?: ConversationState;
  snoozedUntil?: string | null;
  /**
   * (§18) When the state change happens, the store's clock when absent: a conversation becoming
   * `resolved` takes it as `resolved_at` (one already resolved keeps its time); any other state
   * clears `resolved_at`.
   */
  stateAt?: string;
  assigneeId?: number | null;
  visitorName?: string | null;
  visitorLastSeenAt?: string | null;
  contactId?: number | null;
  /** Bumps the conversation in the "newest activity first" order. */
  updatedAt?: string;
}

export interface MessageRange {
  /** Only ids greater than this (catch-up). */
  afterId?: number;
  /** Only ids smaller than this (paging back); the newest `limit` of them are returned. */
  beforeId?: number;
  limit: number;
}

export interface Store
  extends
    WebhookStore,
    WorkflowStore,
    TeamWorkStore,
    EmailStore,
    EmailInboundStore,
    PrivacyStore,
    RatingStore,
    ReportStore,
    AuditStore {
  readonly engine: "sqlite" | "postgres";

  /** Brings the schema to the latest version; safe to run at every boot and concurrently. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // conversations
  getConversation(id: number): Promise<StoredConversation | undefined>;
  /** Those of the conversations `ids` that exist, in no particular order, in a few statements however many. */
  getConversations(ids: readonly number[]): Promise<StoredConversation[]>;
  findConversationByToken(token: string): Promise<StoredConversation | undefined>;
  /** The same conversation without its latest message, in a lighter statement (BareConversation). */
  findBareConversationByToken(token: string): Promise<BareConversation | undefined>;
  /** The conversations of those of `tokens` that have one (a node's visitors leaving at once). */
  findConversationsByTokens(tokens: readonly string[]): Promise<StoredConversation[]>;
  /** Sets the visitor's last-seen time on each conversation, in a few statements however many. */
  markVisitorsLastSeen(conversationIds: readonly number[], at: string): Promise<void>;
  /**
   * Creates the token's conversation on the site or returns the existing one (whichever site it
   * is on: the caller checks); `created` says which.
   */
  createConversation(input: {
    token: string;
    visitorName: string | null;
    createdIp: string | null;
    siteId: number;
    contactId?: number | null;
    at: string;
  }): Promise<{ conversation: StoredConversation; created: boolean }>;
  countConversationsFromIpSince(ip: string, since: string): Promise<number>;
  listConversations(filter: ConversationFilter): Promise<StoredConversation[]>;
  updateConversation(id: number, patch: ConversationPatch): Promise<StoredConversation | undefined>;
  /**
   * Assigns the conversation to the agent only while it is assigned to nobody, in one statement
   * (two replies at once: one wins); the conversation when it was, undefined when not.
   */
  assignIfUnassigned(id: number, agentId: number): Promise<StoredConversation | undefined>;
  /** Zeroes the unread count and remembers the highest message id read. */
  markConversationRead(id: number, upToId: number): Promise<StoredConversation | undefined>;
  /** Deletes the conversation and its messages; false when it did not exist. */
  deleteConversation(id: number): Promise<boolean>;

  // messages
  /**
   * Stores a message, or returns the one already stored with the same (conversation, client id).
   * With `attachments`, links every claimed upload that is unattached, recent enough and the
   * claimant's, in the same transaction; if any is not, nothing is stored and it throws
   * AttachmentsUnavailableError. Concurrent claims of one upload: exactly one wins. `attachments`
   * are the message's own (for a retry: those the first send linked), in id order.
   */
  appendMessage(
    input: NewMessage,
  ): Promise<{ message: StoredMessage; created: boolean; attachments: StoredAttachment[] }>;
  /**
   * A visitor's first message: createConversation and appendMessage in one transaction, so the
   * two cost one commit and a conversation never exists without the message that started it.
   * `conversation` is what createConversation would have returned.
   */
  appendFirstMessage(input: NewFirstMessage): Promise<{
    conversation: StoredConversation;
    message: StoredMessage;
    created: boolean;
    attachments: StoredAttachment[];
  }>;
  /** A conversation's messages, oldest first. */
  listMessages(conversationId: number, range: MessageRange): Promise<StoredMessage[]>;
  /** Messages of every conversation with id > afterId, in id order (agents' catch-up). */
  listMessagesSince(afterId: number, limit: number): Promise<StoredMessage[]>;
  /** The highest message id ever stored that still exists; 0 when there is none. */
  latestMessageId(): Promise<number>;
  /**
   * (protocol §14) The site's conversations whose first visitor message is at or after `since`:
   * that message's time and the first agent message's at or after it (null: unanswered), by id.
   */
  listFirstReplies(siteId: number, since: string): Promise<FirstReply[]>;

  // sites
  /** Every site, archived ones too, by id. */
  listSites(): Promise<StoredSite[]>;
  getSite(id: number): Promise<StoredSite | undefined>;
  findSiteByKey(key: string): Promise<StoredSite | undefined>;
  /** The site every migrated store has (migration 005). */
  getDefaultSite(): Promise<StoredSite>;
  /** Throws UniqueViolationError when the key is taken. */
  createSite(input: NewSite): Promise<StoredSite>;
  updateSite(id: number, patch: SitePatch): Promise<StoredSite | undefined>;

  // contacts and visitors (protocol §12)
  getContact(id: number): Promise<StoredContact | undefined>;
  findVerifiedContact(siteId: number, externalId: string): Promise<StoredContact | undefined>;
  /** Throws UniqueViolationError when a verified contact with that site and id exists. */
  createContact(input: NewContact): Promise<StoredContact>;
  /** Throws UniqueViolationError as createContact. */
  updateContact(id: number, patch: ContactPatch): Promise<StoredContact | undefined>;
  /** Newest (highest id) first. */
  listContacts(filter: ContactFilter): Promise<StoredContact[]>;
  /**
   * In one transaction: `patch` applied to `intoId`, every conversation and visitor of `fromId`
   * moved to `intoId`, `fromId` deleted. Undefined when either is gone.
   */
  mergeContacts(intoId: number, fromId: number, patch: ContactPatch): Promise<StoredContact | undefined>;
  findVisitor(siteId: number, token: string): Promise<StoredVisitor | undefined>;
  /** The token's visitor row on the site, created when there is none. */
  ensureVisitor(siteId: number, token: string, at: string): Promise<StoredVisitor>;
  setVisitorContact(visitorId: number, contactId: number | null): Promise<void>;
  /** Records a page view and what came with it (see VisitorSighting), in one transaction. */
  recordPageView(visitorId: number, sighting: VisitorSighting): Promise<StoredVisitor>;
  /** The visitor's pages, oldest first. */
  listPageViews(visitorId: number): Promise<StoredPageView[]>;
  /**
   * (protocol §14) Whether any visitor's page (http or https) was seen outside these origins
   * (`https://example.com`): a page on one of them, or its URL exactly, does not count.
   */
  hasPageViewOutside(origins: readonly string[]): Promise<boolean>;
  /** Whether any conversation exists. */
  hasConversation(): Promise<boolean>;

  // owner settings
  /** The settings an owner saved; a setting never saved is absent. */
  getOwnerSettings(): Promise<StoredOwnerSettings>;
  /** Upserts each given setting (its value kept as JSON); others stay as they are. */
  saveOwnerSettings(values: StoredOwnerSettings, at: string): Promise<void>;

  // agents
  countAgents(): Promise<number>;
  createAgent(input: {
    username: string;
    name: string;
    role: AgentRole;
    passwordHash: string;
    at: string;
  }): Promise<StoredAgent>;
  getAgent(id: number): Promise<StoredAgent | undefined>;
  findAgentByUsername(username: string): Promise<StoredAgent | undefined>;
  listAgents(): Promise<StoredAgent[]>;
  updateAgent(
    id: number,
    patch: { name?: string; passwordHash?: string; role?: AgentRole; avatarFile?: string | null },
  ): Promise<StoredAgent | undefined>;
  /** Deletes the agent, their sessions and push subscriptions; their messages stay. */
  deleteAgent(id: number): Promise<boolean>;

  // sessions
  createSession(session: StoredSession): Promise<void>;
  findSession(id: string): Promise<StoredSession | undefined>;
  deleteSession(id: string): Promise<boolean>;
  deleteSessionsOfAgent(agentId: number): Promise<string[]>;
  /** Removes sessions whose expiry is before `now`; returns their ids. */
  deleteExpiredSessions(now: string): Promise<string[]>;
  /** Those of `ids` that exist and expire after `now`: the sessions open sockets may still serve. */
  liveSessionIds(ids: readonly string[], now: string): Promise<string[]>;

  // API tokens
  createApiToken(input: Omit<StoredApiToken, "id" | "lastUsedAt">): Promise<StoredApiToken>;
  findApiTokenByHash(tokenHash: string): Promise<StoredApiToken | undefined>;
  /** One agent's tokens, or everyone's (undefined), newest first. */
  listApiTokens(agentId?: number): Promise<StoredApiToken[]>;
  getApiToken(id: number): Promise<StoredApiToken | undefined>;
  deleteApiToken(id: number): Promise<boolean>;
  touchApiToken(id: number, at: string): Promise<void>;

  // attachments
  /**
   * Stores an upload's row. With `quota` and an `uploaderIp`, first sums what that address holds
   * in uploads no message carries yet (swept ones excluded, expired but unswept ones included);
   * if this upload would take it past `maxHeldBytes`, nothing is stored and it throws
   * UploadQuotaExceededError. The sum and the insert are one step per address, on every node.
   */
  createAttachment(input: NewAttachment, quota?: { maxHeldBytes: number }): Promise<StoredAttachment>;
  /** What an address holds in uploads no message carries yet: bytes, and when the oldest came. */
  heldUploads(uploaderIp: string): Promise<HeldUploads>;
  getAttachment(id: number): Promise<StoredAttachment | undefined>;
  /** Those of `ids` that exist, in id order. */
  getAttachments(ids: number[]): Promise<StoredAttachment[]>;
  /** The attachments of these messages, by message then id. */
  listAttachmentsOfMessages(messageIds: number[]): Promise<StoredAttachment[]>;
  /**
   * Rows whose blobs should go: detached from a deleted message, or never attached and created
   * before `unattachedBefore`. Oldest first.
   */
  listDiscardableAttachments(unattachedBefore: string, limit: number): Promise<StoredAttachment[]>;
  /** Deletes the rows (not their blobs); returns how many existed. */
  deleteAttachments(ids: number[]): Promise<number>;

  // push subscriptions
  /**
   * Adds the (agent, endpoint) row or gives the existing one new keys. With `keepNewest`, the
   * agent's oldest rows past that many are deleted in the same transaction.
   */
  savePushSubscription(input: {
    agentId: number;
    endpoint: string;
    p256dh: string;
    auth: string;
    at: string;
    keepNewest?: number;
  }): Promise<StoredPushSubscription>;
  deletePushSubscription(agentId: number, endpoint: string): Promise<boolean>;
  listPushSubscriptions(agentId: number): Promise<StoredPushSubscription[]>;
  getPushSubscription(id: number): Promise<StoredPushSubscription | undefined>;
  /** For a push service that answered 404/410: the subscription is gone for good. */
  deletePushSubscriptionById(id: number): Promise<boolean>;
  /** Agents with at least one push subscription, ascending. */
  listPushSubscribedAgentIds(): Promise<number[]>;

  // push throttles
  getPushThrottle(agentId: number, conversationId: number): Promise<PushThrottle | undefined>;
  /** Upserts the (agent, conversation) row; it goes with the agent or the conversation. */
  recordPushSent(throttle: PushThrottle): Promise<void>;

  // jobs: a durable queue. A job is delivered at least once and, while every run finishes within
  // its lease, exactly once: a claim is one atomic statement (FOR UPDATE SKIP LOCKED on Postgres,
  // the single writer on SQLite), so two workers on any number of nodes never hold one job, and a
  // claim whose lease lapsed (a crashed worker) is claimed again.
  /**
   * Adds a pending job; returns false, adding nothing, when `dedupeKey` is set and a pending job
   * with that key exists. Concurrent enqueues on several Postgres nodes may both add one, so
   * handlers of deduplicated kinds must tolerate a duplicate.
   */
  enqueueJob(job: NewJob): Promise<boolean>;
  /**
   * Takes the due job with the earliest `runAt` (pending with runAt <= now, or running with a
   * lease before now), marks it running under the given lease, and returns it.
   */
  claimJob(lease: { now: string; leaseToken: string; leaseUntil: string }): Promise<ClaimedJob | undefined>;
  /** Removes a finished job; false when the lease was lost (another worker holds the job now). */
  completeJob(id: number, leaseToken: string): Promise<boolean>;
  /**
   * Makes a held job pending again at `runAt`. With `error`, the run counts as a failed attempt
   * and the error is kept; without, it is a postponement. False when the lease was lost.
   */
  rescheduleJob(id: number, leaseToken: string, next: { runAt: string; error?: string }): Promise<boolean>;
  /** Every job, by id (operators' view and tests). */
  listJobs(): Promise<StoredJob[]>;
  /** How many jobs wait and how many run, without reading them (metrics, once per scrape). */
  countJobs(): Promise<{ pending: number; running: number }>;
}
