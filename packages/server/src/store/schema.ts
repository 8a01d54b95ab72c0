/**
 * The tables as Kysely sees them: column names and the JS types the drivers return. Both engines
 * return the same shapes: timestamps are ISO strings (text columns) and ids are numbers (the
 * Postgres pool parses int8 into numbers, see postgresPool.ts).
 */
import type { Generated, GeneratedAlways } from "kysely";
import type {
  AgentAvailability,
  AgentRole,
  ApiTokenScope,
  ConversationState,
  ConversationStatus,
  Sender,
} from "@parley/protocol";
import type { Store } from "./store.js";

export interface ConversationsTable {
  id: Generated<number>;
  visitor_token: string;
  visitor_name: string | null;
  status: Generated<ConversationStatus>;
  assignee_id: number | null;
  unread_count: Generated<number>;
  last_read_message_id: Generated<number>;
  created_ip: string | null;
  created_at: string;
  updated_at: string;
  visitor_last_seen_at: string | null;
  /** The site the conversation started on (migration 005); the default site's id by default. */
  site_id: Generated<number>;
  /** The contact (protocol §12) the conversation is with, once known (migration 007). */
  contact_id: Generated<number | null>;
  /** (§15, migration 010) Kept in step with `status`: `closed` exactly when `resolved`. */
  state: Generated<ConversationState>;
  snoozed_until: string | null;
  /** (§18, migration 015) When it was last resolved; null while it is not resolved. */
  resolved_at: Generated<string | null>;
  /** (§18) When the widget was last asked for a rating of it; null: never. */
  rating_requested_at: Generated<string | null>;
}

/** (§15, migration 010) Owners' labels; `name_key` is the name in lower case (unique). */
export interface LabelsTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  color: string;
  created_at: string;
}

export interface ConversationLabelsTable {
  conversation_id: number;
  label_id: number;
}

export interface MessagesTable {
  /** Never written by us: SQLite AUTOINCREMENT / Postgres GENERATED ALWAYS hand it out. */
  id: GeneratedAlways<number>;
  conversation_id: number;
  sender: Sender;
  content: string;
  created_at: string;
  client_id: string | null;
  agent_id: number | null;
  agent_name: string | null;
  /** (migration 013, §16) `email`: a visitor's answer by email; null otherwise. */
  via: "email" | null;
}

export interface AgentsTable {
  id: Generated<number>;
  username: string;
  name: string;
  role: AgentRole;
  password_hash: string;
  created_at: string;
  /** The avatar's name in the blob store under `avatars/` (migration 009); null: none. */
  avatar_file: Generated<string | null>;
  /** (migration 011, §15) What the agent chose; default online. */
  chosen_availability: Generated<AgentAvailability>;
  /** (migration 011, §15) The round-robin's last assignment to them; null: never. */
  last_auto_assigned_at: Generated<string | null>;
  /** (migration 012, §16) Where their alerts go; null: none. */
  email: Generated<string | null>;
  email_alerts: Generated<"off" | "within_hours" | "always">;
  email_alert_after_minutes: Generated<number>;
  /** (migration 012) Their last alert email; the next lists what came since. */
  email_alerted_at: Generated<string | null>;
}

export interface SessionsTable {
  id: string;
  agent_id: number;
  created_at: string;
  expires_at: string;
}

export interface PushSubscriptionsTable {
  id: Generated<number>;
  agent_id: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: string;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** JSON text: each kind's handler parses and checks its own payload. */
  payload: string;
  state: "pending" | "running";
  /** Collapses repeated enqueues: at most one pending job per key (see enqueueJob). */
  dedupe_key: string | null;
  run_at: string;
  attempts: Generated<number>;
  /** While running: the claim's random token and when the claim lapses. */
  lease_token: string | null;
  lease_until: string | null;
  last_error: string | null;
  created_at: string;
}

export interface PushThrottlesTable {
  agent_id: number;
  conversation_id: number;
  last_sent_at: string;
  last_message_id: number;
}

export interface AttachmentsTable {
  id: GeneratedAlways<number>;
  /** Where the file's blob lives in the BlobStore (random, never derived from the name). */
  storage_key: string;
  thumbnail_key: string | null;
  filename: string;
  content_type: string;
  byte_size: number;
  width: number | null;
  height: number | null;
  uploaded_by: "visitor" | "agent";
  visitor_token: string | null;
  agent_id: number | null;
  message_id: number | null;
  attached_at: string | null;
  created_at: string;
  /** A visitor's address while the upload waits to be attached (migration 004); null after. */
  uploader_ip: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  agent_id: number;
  name: string;
  scope: ApiTokenScope;
  /** SHA-256 (hex) of the token: the token itself is shown once and never stored. */
  token_hash: string;
  hint: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

/** JSON columns are text, written and read whole (rows.ts parses them). */
export interface SitesTable {
  id: GeneratedAlways<number>;
  key: string;
  name: string;
  /** 0 or 1; exactly one site has 1. */
  is_default: Generated<number>;
  archived_at: string | null;
  /** JSON string[]. */
  allowed_origins: string;
  /** JSON SiteWidgetSettings. */
  widget: string;
  /** JSON BusinessHours, or null. */
  business_hours: string | null;
  /** JSON number[], or null (every agent). */
  agent_ids: string | null;
  created_at: string;
  updated_at: string;
  /** The HMAC key of identify hashes (migration 007): 32 random bytes, base64url. */
  identity_secret: string;
  /** 0 or 1. */
  identity_required: Generated<number>;
  /** 0 or 1. */
  keep_query_strings: Generated<number>;
}

/** A visitor's rating of a conversation (protocol §18, migration 015): one per conversation. */
export interface ConversationRatingsTable {
  conversation_id: number;
  site_id: number;
  /** Who it is credited to: the assignee when it is given, else the last agent who replied. */
  agent_id: number | null;
  /** 1–5. */
  score: number;
  comment: string | null;
  rated_at: string;
}

/** Contacts (protocol §12, migration 007). */
export interface ContactsTable {
  id: GeneratedAlways<number>;
  site_id: number;
  external_id: string | null;
  /** 0 or 1: the site's back end signed `external_id`. */
  verified: number;
  name: string | null;
  email: string | null;
  /** JSON object of typed attributes. */
  attributes: string;
  /** The contact's own visitor token, which other browsers identified as them adopt. */
  session_token: string;
  first_seen_at: string;
  last_seen_at: string;
  created_at: string;
  updated_at: string;
  /** (migration 012, §16) The language of their emails, as the widget gave it. */
  locale: Generated<string | null>;
  /** (migration 012, §16) When they unsubscribed from the site's emails. */
  email_unsubscribed_at: Generated<string | null>;
}

/** One visitor token on one site: what its pages and browser said (migration 007). */
export interface VisitorsTable {
  id: GeneratedAlways<number>;
  site_id: number;
  token: string;
  contact_id: number | null;
  first_page_url: string | null;
  first_page_title: string | null;
  first_page_at: string | null;
  referrer: string | null;
  /** JSON object of utm_* tags, or null. */
  utm: string | null;
  user_agent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  language: string | null;
  time_zone: string | null;
  ip_address: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

export interface PageViewsTable {
  id: GeneratedAlways<number>;
  visitor_id: number;
  url: string;
  title: string | null;
  at: string;
}

export interface OwnerSettingsTable {
  key: string;
  /** JSON. */
  value: string;
  updated_at: string;
}

/** Webhooks (migration 008, protocol §13). */
export interface WebhooksTable {
  id: GeneratedAlways<number>;
  site_id: number;
  url: string;
  /** JSON WebhookEventType[]. */
  events: string;
  format: "parley" | "slack";
  secret: string;
  /** 0 or 1. */
  enabled: number;
  disabled_at: string | null;
  disabled_reason: string | null;
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

export interface WebhookDeliveriesTable {
  id: GeneratedAlways<number>;
  webhook_id: number;
  event_id: string;
  /** Unique per webhook: the same event produced twice is stored once. */
  event_key: string;
  event_type: string;
  conversation_id: number | null;
  /** An event about no conversation: the contact it is about, whose events go in order. */
  contact_id: number | null;
  /** The exact body sent, the same on every attempt. */
  payload: string;
  status: "pending" | "delivered" | "failed";
  attempts: Generated<number>;
  next_attempt_at: string | null;
  locked_until: string | null;
  response_status: number | null;
  last_error: string | null;
  duration_ms: number | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface Database {
  conversations: ConversationsTable;
  messages: MessagesTable;
  agents: AgentsTable;
  sessions: SessionsTable;
  push_subscriptions: PushSubscriptionsTable;
  jobs: JobsTable;
  push_throttles: PushThrottlesTable;
  attachments: AttachmentsTable;
  api_tokens: ApiTokensTable;
  sites: SitesTable;
  owner_settings: OwnerSettingsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  contacts: ContactsTable;
  visitors: VisitorsTable;
  page_views: PageViewsTable;
  labels: LabelsTable;
  conversation_ratings: ConversationRatingsTable;
  conversation_labels: ConversationLabelsTable;
  notes: NotesTable;
  canned_replies: CannedRepliesTable;
  email_outbox: EmailOutboxTable;
  email_threads: EmailThreadsTable;
  email_inbound: EmailInboundTable;
  email_mailbox: EmailMailboxTable;
  audit_log: AuditLogTable;
}

/** Every email Parley sends, as written (migration 012, §16); `email.deliver` sends each once. */
export interface EmailOutboxTable {
  id: GeneratedAlways<number>;
  kind: string;
  site_id: number | null;
  conversation_id: number | null;
  to_address: string;
  /** `<…@domain>`, unique. */
  message_id: string;
  subject: string;
  text_body: string;
  html_body: string;
  reply_to: string | null;
  /** The conversation's first email's Message-ID (also sent as References). */
  in_reply_to: string | null;
  unsubscribe_url: string | null;
  locale: string;
  status: "queued" | "sent" | "failed";
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** A conversation's email thread (migration 012). */
export interface EmailThreadsTable {
  conversation_id: number;
  root_message_id: string;
  /** The last agent message a reply email covered or the visitor saw; 0: none. */
  emailed_through_message_id: Generated<number>;
  updated_at: string;
}

/** (migration 013, §16) Each mail the reply reader looked at, by Message-ID: taken once. */
export interface EmailInboundTable {
  message_id: string;
  conversation_id: number | null;
  outcome: "taken" | "ignored";
  reason: string | null;
  received_at: string;
}

/** (migration 013, §16) The reply reader's state: one row, id 1. */
export interface EmailMailboxTable {
  id: number;
  last_fetch_at: string | null;
  last_fetch_error: string | null;
}

/** (migration 014, §17) Who did what: one row per action; no foreign keys, entries outlive them. */
export interface AuditLogTable {
  id: GeneratedAlways<number>;
  action: string;
  agent_id: number | null;
  /** The agent's name when they acted, kept if they are deleted since. */
  agent_name: string | null;
  api_token_id: number | null;
  ip_address: string | null;
  target_type: string | null;
  target_id: number | null;
  site_id: number | null;
  /** JSON object of small facts; never a secret. */
  details: string;
  at: string;
}

/** Private notes (migration 011, §15): never messages. */
export interface NotesTable {
  id: Generated<number>;
  conversation_id: number;
  agent_id: number | null;
  agent_name: string;
  content: string;
  /** JSON number[]. */
  mention_ids: string;
  client_id: string | null;
  created_at: string;
}

/** Canned replies (migration 011, §15). */
export interface CannedRepliesTable {
  id: Generated<number>;
  scope: "personal" | "shared";
  agent_id: number | null;
  site_id: number | null;
  shortcut: string;
  content: string;
  created_at: string;
  updated_at: string;
}

export type Engine = Store["engine"];
