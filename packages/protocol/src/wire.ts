/**
 * Parley's wire contract as types: what travels between the server, the widget and the inbox.
 * docs/protocol.md is the prose of this file; a payload change is made in both, in one commit.
 * Fields and variants marked (seed) are the Rails server's: their names and types never change
 * (tests under packages/server/test/compat hold the server to them). Those marked (parley) are
 * Parley's additions, which old clients ignore.
 */

// ---------------------------------------------------------------------------------------------
// §1 ActionCable transport frames
// ---------------------------------------------------------------------------------------------

export const CABLE_PATH = "/cable";
export const CABLE_SUBPROTOCOLS = ["actioncable-v1-json", "actioncable-unsupported"] as const;
export const PING_INTERVAL_MS = 3000;
/** The largest frame a client may send; larger ones close the socket. */
export const MAX_FRAME_BYTES = 64 * 1024;

export type DisconnectReason = "unauthorized" | "invalid_request" | "server_restart" | "remote";

export type ServerFrame =
  | { type: "welcome" }
  | { type: "ping"; message: number }
  | { type: "disconnect"; reason: DisconnectReason; reconnect: boolean }
  | { identifier: string; type: "confirm_subscription" }
  | { identifier: string; type: "reject_subscription" }
  | { identifier: string; message: unknown };

export type ClientFrame =
  | { command: "subscribe"; identifier: string }
  | { command: "unsubscribe"; identifier: string }
  | { command: "message"; identifier: string; data: string };

// ---------------------------------------------------------------------------------------------
// §5 Shapes
// ---------------------------------------------------------------------------------------------

export type Sender = "visitor" | "admin";
export type ConversationStatus = "open" | "closed";

export interface AgentRef {
  id: number;
  name: string;
}

export interface Message {
  // (seed)
  /** Grows across all conversations and never repeats, so `since` works everywhere. */
  id: number;
  sender: Sender;
  /** `""` for a message of files alone. */
  content: string;
  /** ISO 8601 UTC. */
  created_at: string;
  // (parley)
  client_id?: string;
  /** On agents' messages only. */
  agent?: AgentRef;
  /** Only when the message has files. */
  attachments?: Attachment[];
  /** (§16) `"email"` on a visitor's message that came as an answer by email; absent otherwise. */
  via?: "email";
}

/**
 * A file carried by a message (protocol §9). `url` and `thumbnail_url` are signed, expire after
 * 12–13 hours, and are relative to the server (resolve them against its origin); a fresh copy
 * comes with every `history`. Images have a thumbnail and their size in pixels.
 */
export interface Attachment {
  id: number;
  filename: string;
  content_type: string;
  byte_size: number;
  url: string;
  thumbnail_url?: string;
  width?: number;
  height?: number;
}

export interface Conversation {
  // (seed)
  id: number;
  session_token: string;
  /** null until the visitor gives a name (the seed's text writes `string`). */
  visitor_name: string | null;
  unread_count: number;
  /**
   * The latest message's preview TEXT (preview.ts), absent while there is none. Old admin pages
   * render it as a React child: it must never be an object.
   */
  last_message?: string;
  updated_at: string;
  created_at: string;
  // (parley)
  /** The latest message itself, without `attachments`; null while there is none. */
  latest_message: Message | null;
  status: ConversationStatus;
  assignee_id: number | null;
  visitor_online: boolean;
  /** When the visitor was last connected; null while they are online or never were. */
  visitor_last_seen_at: string | null;
  /** The site (§10) the conversation started on; every conversation has one. */
  site_id: number;
  /** The contact (§12) the visitor is, once they identified or left an email; else null. */
  contact_id: number | null;
  /** (§15) The workflow state; `status` above is derived from it for old clients. */
  state: ConversationState;
  /** (§15) While `snoozed`: when it wakes (ISO 8601 UTC); null: at the visitor's next message. */
  snoozed_until: string | null;
  /** (§15) The labels on it, by id (`Label`), in no particular order. */
  label_ids: number[];
  /** (§18) The visitor's rating; null: none (yet). */
  rating: ConversationRating | null;
}

// ---------------------------------------------------------------------------------------------
// §3 VisitorChannel
// ---------------------------------------------------------------------------------------------

export const VISITOR_CHANNEL = "VisitorChannel";
export const MAX_MESSAGE_LENGTH = 2000;
export const MAX_VISITOR_NAME_LENGTH = 50;
export const MAX_CLIENT_ID_LENGTH = 64;
export const TYPING_EXPIRY_MS = 3000;
export const VISITOR_TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
/** Uploads one message may carry. */
export const MAX_ATTACHMENTS = 5;

/** `channel` is the seed's; the rest are Parley's (the seed's visitors put `?token=` on the URL). */
export interface VisitorIdentifier {
  channel: typeof VISITOR_CHANNEL;
  token?: string;
  since?: number;
  /** How many of the newest messages the first `history` carries (1–FULL_HISTORY_CAP). */
  limit?: number;
  /** The site's public key (§10), from the widget tag's `data-site`; absent: the default site. */
  site?: string;
}

/** Variants: `history`, `message`, `error` (seed, with their seed fields); the rest (parley). */
export type VisitorEvent =
  | {
      type: "history";
      /** (§18, parley) `rating_requested`: resolved and waiting for the visitor's rating; `rating`: theirs. */
      conversation: {
        id: number;
        visitor_name: string | null;
        rating_requested?: boolean;
        rating?: ConversationRating | null;
      };
      messages: Message[];
      since?: number;
    }
  | { type: "message"; message: Message }
  | { type: "error"; error: string; client_id?: string }
  | { type: "too_fast"; retry_after_ms: number; client_id?: string }
  | { type: "typing"; typing: boolean; agent?: AgentRef }
  | { type: "availability"; online: boolean }
  | { type: "read"; up_to_id: number }
  /** The site's settings, hours or availability changed: the widget applies them without a reload. */
  | { type: "site_updated"; config: WidgetConfig }
  /** (§18) The conversation was resolved: the widget asks for a rating (every tab of the token). */
  | { type: "rating_requested"; conversation_id: number }
  /** (§18) The visitor's rating was stored (every tab of the token, the rater's included). */
  | { type: "rated"; rating: ConversationRating };

/** `send_message` with `content` and `visitor_name` (seed); the rest (parley). */
export type VisitorAction =
  | {
      action: "send_message";
      /** May be empty when `attachment_ids` is not. */
      content: string;
      /** null (or blank) clears the name. */
      visitor_name?: string | null;
      client_id?: string;
      attachment_ids?: number[];
    }
  | { action: "typing"; typing?: boolean }
  /** (§12) The page the widget runs on: sent on every subscribe, so agents see where the visitor is. */
  | { action: "page"; url: string; title?: string; referrer?: string; time_zone?: string }
  /** (§18) Rates the conversation once it asked for it (`rating_requested`); a later rate replaces it. */
  | { action: "rate"; score: RatingScore; comment?: string | null };

// ---------------------------------------------------------------------------------------------
// §4 AdminChannel
// ---------------------------------------------------------------------------------------------

export const ADMIN_CHANNEL = "AdminChannel";
/** The largest page a `limit` may ask of `get_history` and `GET /conversations/:id/messages`. */
export const MAX_HISTORY_LIMIT = 200;
/**
 * A history asked for without `limit` is the whole conversation, as the seed's server sent it
 * (its clients never page), up to this many of its newest messages: `get_history`, the visitor's
 * `history` on subscribe and `GET /conversations/:id/messages`. Parley's own clients page with
 * `limit` and `before_id`.
 */
export const FULL_HISTORY_CAP = 1000;

/** `channel` is the seed's; `since` Parley's. */
export interface AdminIdentifier {
  channel: typeof ADMIN_CHANNEL;
  since?: number;
}

/**
 * Variants: `conversations`, `new_message`, `history`, `conversation_deleted`, `error` (seed);
 * `typing`, `conversation_updated`, `caught_up` (parley). Parley's fields in seed variants:
 * `has_more`, `client_id`.
 */
export type AdminEvent =
  | { type: "conversations"; conversations: Conversation[] }
  | { type: "new_message"; conversation_id: number; visitor_name: string | null; message: Message }
  | { type: "history"; conversation_id: number; messages: Message[]; has_more: boolean }
  | { type: "conversation_deleted"; conversation_id: number }
  | { type: "error"; error: string; client_id?: string }
  | { type: "typing"; conversation_id: number; typing: boolean; sender: Sender; agent_id?: number }
  | { type: "conversation_updated"; conversation: Conversation }
  /** The replay after a subscribe (with `since` or not) or after a broker gap is complete (§4). */
  | { type: "caught_up"; last_id: number }
  /** A site this agent answers was created or changed (§10); archived sites come with `archived_at`. */
  | { type: "site_updated"; site: Site }
  /** (§12) The visitor of a conversation opened a page: the inbox shows it as their current page. */
  | { type: "visitor_page"; conversation_id: number; page: PageView }
  /** (§15) A private note was added; `notes` answers `get_notes`. Agents of the site only. */
  | { type: "note_created"; note: Note }
  | { type: "notes"; conversation_id: number; notes: Note[] }
  /** (§15) The owners changed the set of labels: the whole set, as `GET /labels` answers it. */
  | { type: "labels_updated"; labels: Label[] }
  /** (§15) An agent's availability changed (as others see it, and as they chose it). */
  | {
      type: "agent_availability";
      agent_id: number;
      availability: AgentAvailability;
      chosen_availability: AgentAvailability;
    }
  /** (§15) This agent's view counts, on subscribe and whenever they change. */
  | { type: "view_counts"; counts: ViewCounts };

/**
 * Actions: `send_message` (`conversation_id`, `content`), `mark_read`, `get_history`
 * (`conversation_id`), `list_conversations` (seed); every other action and field (parley).
 */
export type AdminAction =
  | {
      action: "send_message";
      conversation_id: number;
      content: string;
      client_id?: string;
      attachment_ids?: number[];
    }
  | { action: "mark_read"; conversation_id: number }
  | { action: "get_history"; conversation_id: number; before_id?: number; limit?: number }
  | {
      action: "list_conversations";
      status?: ConversationStatus | "all";
      site_id?: number;
      /** (§15) Narrows by state; wins over `status` when both are given. */
      state?: ConversationState | "all";
      label_id?: number;
      /** (§15) `"me"`, `"unassigned"` or an agent's id; absent or `"all"`: everyone's. */
      assignee?: "me" | "unassigned" | "all" | number;
    }
  | { action: "typing"; conversation_id: number; typing?: boolean }
  | { action: "close"; conversation_id: number }
  | { action: "reopen"; conversation_id: number }
  | { action: "assign"; conversation_id: number; agent_id?: number | null }
  /** (§15) `snoozed_until` only with `snoozed` (absent or null: until the visitor writes). */
  | { action: "set_state"; conversation_id: number; state: ConversationState; snoozed_until?: string | null }
  | { action: "set_labels"; conversation_id: number; label_ids: number[] }
  | { action: "add_note"; conversation_id: number; content: string; client_id?: string }
  | { action: "get_notes"; conversation_id: number }
  | { action: "set_availability"; availability: AgentAvailability }
  /** (§15) The agent used the inbox (a key or pointer): sent at most every `ACTIVITY_INTERVAL_MS`. */
  | { action: "activity" };

// ---------------------------------------------------------------------------------------------
// §7 REST
// ---------------------------------------------------------------------------------------------

export interface ErrorBody {
  /** (seed) What went wrong, for people. */
  error: string;
  /** (parley) The same, stable, for programs (§11); absent on errors a route's own code writes. */
  code?: ErrorCode;
}

/** Stable error codes (§11), one per HTTP status Parley answers with. */
export type ErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "payload_too_large"
  | "unsupported_media_type"
  | "unprocessable"
  | "rate_limited"
  | "internal";

export type AgentRole = "owner" | "agent";

export interface Agent {
  id: number;
  username: string;
  name: string;
  role: AgentRole;
  created_at: string;
  /** (§14) The agent's photo, a square WebP (relative to the server, immutable); null: none. */
  avatar_url: string | null;
  /** (§15) As others see it now (see `AgentAvailability`). */
  availability: AgentAvailability;
  /** (§15) What the agent chose. */
  chosen_availability: AgentAvailability;
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface MeResponse {
  agent: Agent;
}

export interface ConversationsResponse {
  /** (seed) */
  conversations: Conversation[];
  /** Pass as `before` to get the next (older) page; absent on the last page. */
  next_before?: string;
}

export interface MessagesResponse {
  /** (seed) Oldest first. */
  messages: Message[];
  /** (parley) Older messages exist (page back with `before_id`). */
  has_more: boolean;
}

// ---------------------------------------------------------------------------------------------
// §9 Attachments
// ---------------------------------------------------------------------------------------------

/** `POST` here, multipart with one field `file`. */
export const UPLOADS_PATH = "/uploads";
/** How a visitor authenticates an upload (agents use their session cookie). */
export const VISITOR_TOKEN_HEADER = "X-Visitor-Token";
/** The default MAX_UPLOAD_MB; a server may allow more or less (413 says so). */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const ALLOWED_UPLOAD_TYPES = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "application/pdf",
  "text/plain",
] as const;

/** `201` answer to an upload: the attachment as messages will carry it. */
export type UploadResponse = Attachment;

export interface WidgetConfig {
  title: string;
  greeting: string;
  color: string;
  position: WidgetPosition;
  locale: string | null;
  launcher_label: string | null;
  agents_online: boolean;
  // (§10) per site
  /** The site these settings are of (the default site's key when the tag had no `data-site`). */
  site_key: string;
  /** Shown instead of the greeting's promise when the team is away (closed or nobody online). */
  away_message: string;
  /** Within the site's business hours now (true when the site has none). */
  within_hours: boolean;
  /** While outside hours: when they next open (ISO 8601 UTC), for "Back Monday at 9:00"; else null. */
  next_open_at: string | null;
  /** The site's time zone (IANA), to state `next_open_at` in the team's local time; null: no hours. */
  time_zone: string | null;
  /** The next instant `within_hours` flips (ISO 8601 UTC): fetch the config again then. Null: never. */
  hours_change_at: string | null;
  /** (§12) What the pre-chat form asks before the first message. */
  prechat: PrechatSettings;
  /** (§14) Faces and names of the site's team, those online first; at most `MAX_TEAM_FACES`. */
  team: TeamMember[];
  /**
   * (§14) The site's typical first reply, in seconds: the median time from a conversation's
   * first visitor message to the first agent reply, over the last `REPLY_TIME_WINDOW_DAYS`
   * days; null while fewer than `REPLY_TIME_MIN_SAMPLES` conversations were answered.
   */
  reply_time_seconds: number | null;
  /** (§16) Parley sends email: the widget may ask for an address ("Get the reply by email"). */
  email_enabled: boolean;
  /**
   * (§16) While `email_enabled` and the visitor gave no email: ask for one when the team is away,
   * or when this long has passed since their first message without a reply; null: only when away.
   */
  ask_email_after_seconds: number | null;
  /** (§18) The site's privacy notice (https), linked in the widget; null: none. */
  privacy_url: string | null;
}

export interface HealthResponse {
  status: "ok";
  uptime: number;
}

// ---------------------------------------------------------------------------------------------
// Web push (parley)
// ---------------------------------------------------------------------------------------------

/**
 * What an agent's service worker receives in a push, as JSON: what it shows as a notification.
 * Small on purpose (push services take 4 KB), so `body` is only the start of the latest message.
 */
export interface PushNotification {
  title: string;
  /** At most 100 characters. */
  body: string;
  /** Where a click on the notification leads: `/admin/chats/<id>` on the server that pushed. */
  url: string;
  /** `parley-conversation-<id>`: a newer notification about a conversation replaces the older one. */
  tag: string;
  conversation_id: number;
  /** Visitor messages not yet read by any agent; it grows while the agent stays away. */
  count: number;
}

// ---------------------------------------------------------------------------------------------
// §10 Sites and owner settings (parley)
// ---------------------------------------------------------------------------------------------

/** A site's public key: what `data-site` on the widget tag and `?site=` carry. */
export const SITE_KEY_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
export const MAX_SITE_NAME_LENGTH = 80;
export const MAX_SITE_ORIGINS = 50;

export type WidgetPosition = "left" | "right";
export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening interval of a day, local wall-clock times `"HH:MM"`; `close` after `open` ("24:00" allowed). */
export interface OpeningInterval {
  open: string;
  close: string;
}

export interface BusinessHours {
  /** IANA time zone, e.g. `"Europe/Berlin"`; DST follows it. */
  time_zone: string;
  /** Each weekday's intervals, in order and not overlapping; a day absent or `[]` is closed. */
  weekly: Partial<Record<Weekday, OpeningInterval[]>>;
  /** Local dates (`"YYYY-MM-DD"`) closed whatever `weekly` says (holidays); at most 366. */
  closed_days: string[];
}

/** What a site's widget looks like and says. */
export interface SiteWidgetSettings {
  /** 1–80 characters. */
  title: string;
  /** 1–500 characters. */
  greeting: string;
  /** `#rgb` or `#rrggbb`. */
  color: string;
  position: WidgetPosition;
  /** ≤ 40 characters; null: the launcher shows its icon only. */
  launcher_label: string | null;
  /** A BCP 47 tag the widget speaks when the visitor's browser asks for none it knows; null: the browser's. */
  locale: string | null;
  /** 1–500 characters. */
  away_message: string;
  /** (§12) The pre-chat form: both `"off"` means no form. */
  prechat: PrechatSettings;
  /** (§18) Ask the visitor for a rating when a conversation is resolved (default true). */
  ask_rating: boolean;
  /** (§18) An https URL of the site's privacy notice, linked in the widget; null: no link. */
  privacy_url: string | null;
}

export interface Site {
  id: number;
  key: string;
  name: string;
  /** The site that existed before sites did: tags without `data-site` and old clients land here. */
  is_default: boolean;
  /** Archived sites refuse new widgets and subscriptions; their conversations stay. */
  archived_at: string | null;
  /**
   * Origins (`scheme://host[:port]`) the site's widget may run on. For the default site, `[]`
   * means the server's ALLOWED_ORIGINS.
   */
  allowed_origins: string[];
  widget: SiteWidgetSettings;
  /** null: no hours, the team is there whenever an agent is online. */
  business_hours: BusinessHours | null;
  /** Agents (besides owners, who answer every site) who answer this site; null: every agent. */
  agent_ids: number[] | null;
  /** Fields of `widget` that environment variables fix (default site only): edits to them are refused. */
  fixed_by_environment: Array<keyof SiteWidgetSettings>;
  /** (§12) Identify calls without a valid `hash` are refused (else kept as unverified claims). */
  identity_required: boolean;
  /** (§12) Keep pages' query strings in the visitor's context (UTM tags are kept either way). */
  keep_query_strings: boolean;
  created_at: string;
  updated_at: string;
}

export interface SitesResponse {
  sites: Site[];
}

export interface SiteResponse {
  site: Site;
}

/** `POST /sites`: only `name` is required; the rest start from the defaults. */
export interface CreateSiteRequest {
  name: string;
  allowed_origins?: string[];
  widget?: Partial<SiteWidgetSettings>;
  business_hours?: BusinessHours | null;
  agent_ids?: number[] | null;
  identity_required?: boolean;
  keep_query_strings?: boolean;
}

/** `PATCH /sites/:id`: what is present changes; `widget` merges field by field. */
export interface UpdateSiteRequest {
  name?: string;
  allowed_origins?: string[];
  widget?: Partial<SiteWidgetSettings>;
  business_hours?: BusinessHours | null;
  agent_ids?: number[] | null;
  identity_required?: boolean;
  keep_query_strings?: boolean;
  /** true archives, false restores; the default site cannot be archived. */
  archived?: boolean;
}

/** Server-wide settings an owner changes in the inbox; applied live, on every node. */
export interface OwnerSettings {
  /** A visitor's messages per minute (RATE_LIMIT_PER_MINUTE). */
  rate_limit_per_minute: number;
  /** New conversations per address per hour; 0: no cap (NEW_CONVERSATIONS_PER_IP_PER_HOUR). */
  new_conversations_per_ip_per_hour: number;
  /** The largest upload, in MB (MAX_UPLOAD_MB). */
  max_upload_mb: number;
  /** (§14) An agent's reply to an unassigned conversation assigns it to them (default true). */
  assign_on_reply: boolean;
  /** (§15) New conversations go round-robin to available agents of the site, or to nobody. */
  auto_assign: AutoAssign;
  /** (§15) Round-robin skips an agent with this many open or pending conversations; 0: no cap. */
  auto_assign_cap: number;
  /** (§15) An agent whose inboxes have all been idle this long is away; 0: never by idleness. */
  away_after_idle_minutes: number;
  /** (§16) An agent's reply the visitor has not seen this long is emailed to them; 0: never. */
  email_replies_after_minutes: number;
  /** (§16) The widget asks for an email when nobody answered this long; 0: only when away. */
  ask_email_after_minutes: number;
  /** (§17) Resolved conversations untouched this many days are deleted with their files; 0: kept. */
  retention_days: number;
  /** (§17) Audit entries older than this many days are deleted (1–3650, default 365). */
  audit_log_days: number;
}

export interface OwnerSettingsResponse {
  settings: OwnerSettings;
  /** Settings an environment variable fixes: shown read-only, edits refused. */
  fixed_by_environment: Array<keyof OwnerSettings>;
}

// ---------------------------------------------------------------------------------------------
// §11 API tokens and the REST API for programs (parley)
// ---------------------------------------------------------------------------------------------

/** `read`: GET routes only; `read_write`: everything the inbox does with conversations. */
export type ApiTokenScope = "read" | "read_write";
/** Every token starts so, so secret scanners and people can tell one when they see it. */
export const API_TOKEN_PREFIX = "prl_";
export const MAX_API_TOKEN_NAME_LENGTH = 80;
/** An expiry may be at most this far ahead. */
export const MAX_API_TOKEN_DAYS = 3650;

/** A token as listed: never the token itself (shown once, at creation). */
export interface ApiToken {
  id: number;
  agent_id: number;
  name: string;
  scope: ApiTokenScope;
  /** The token's first characters (`prl_AbC1`), to tell tokens apart. */
  hint: string;
  created_at: string;
  /** null: never expires. */
  expires_at: string | null;
  /** Updated at most once a minute; null: never used. */
  last_used_at: string | null;
}

export interface CreateApiTokenRequest {
  /** 1–80 characters, e.g. "CRM sync". */
  name: string;
  scope: ApiTokenScope;
  /** Days until it expires (1–3650); absent or null: never. */
  expires_in_days?: number | null;
}

export interface CreatedApiTokenResponse {
  api_token: ApiToken;
  /** The bearer token: shown this once, never again. */
  token: string;
}

export interface ApiTokensResponse {
  api_tokens: ApiToken[];
}

/** `POST /conversations/:id/messages`, as an agent (a token with `read_write`, or the cookie). */
export interface SendMessageRequest {
  content: string;
  client_id?: string;
  attachment_ids?: number[];
}

export interface MessageResponse {
  message: Message;
}

/** `PUT /conversations/:id/assignee`. */
export interface AssignRequest {
  agent_id: number | null;
}

// ---------------------------------------------------------------------------------------------
// §12 Contacts, verified identity and the visitor's context (parley)
// ---------------------------------------------------------------------------------------------

/** Whether the pre-chat form asks a field, and whether the visitor must fill it. */
export type PrechatField = "off" | "optional" | "required";

export interface PrechatSettings {
  name: PrechatField;
  email: PrechatField;
}

export const MAX_EXTERNAL_ID_LENGTH = 128;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_CONTACT_NAME_LENGTH = 100;
/** Attribute keys are 1–50 of `[A-Za-z0-9_]`; a contact holds at most this many. */
export const MAX_CONTACT_ATTRIBUTES = 50;
export const ATTRIBUTE_KEY_PATTERN = /^[A-Za-z0-9_]{1,50}$/;
export const MAX_ATTRIBUTE_STRING_LENGTH = 500;
/** A page's URL (after the query string is dropped) and title are cut to these lengths. */
export const MAX_PAGE_URL_LENGTH = 2000;
export const MAX_PAGE_TITLE_LENGTH = 200;
/** The pages a visitor's context keeps, newest last. */
export const PAGE_HISTORY_LIMIT = 50;

/** A typed attribute: a string (≤ 500), a finite number, a boolean, or a date as `{date: ISO 8601}`. */
export type ContactAttributeValue = string | number | boolean | { date: string };

/** `POST /widget/identify`: who the visitor is, as the site's back end says (protocol §12). */
export interface IdentifyRequest {
  /** The visitor's token, as on the cable. */
  token: string;
  /** The site key; absent: the default site. */
  site?: string;
  /** The site's own user id, 1–128 characters. */
  id?: string;
  /** Hex HMAC-SHA256 of `id` with the site's identity secret (64 hex characters). */
  hash?: string;
  email?: string;
  name?: string;
  /** Attributes to set; `null` removes one. */
  attributes?: Record<string, ContactAttributeValue | null>;
}

export interface IdentifyResponse {
  /**
   * The token this browser goes on with: the contact's own when another browser already chats as
   * them (the widget stores it and subscribes with it), a new one when the token sent is already
   * another verified user's (a shared device), else the one sent.
   */
  token: string;
  verified: boolean;
}

/** `POST /widget/contact`: what the pre-chat form or "get the reply by email" collected. */
export interface ContactDetailsRequest {
  token: string;
  site?: string;
  name?: string;
  email?: string;
  /** (§16) The widget's language, for the emails this contact gets (en, fr, ja; else en). */
  locale?: string;
}

export interface Contact {
  id: number;
  site_id: number;
  /** The site's user id: verified when `verified`, else only claimed; null for anonymous contacts. */
  external_id: string | null;
  verified: boolean;
  name: string | null;
  email: string | null;
  attributes: Record<string, ContactAttributeValue>;
  /** (§16) The language of their emails (`EmailLocale`); null: English, or the browser's. */
  locale: string | null;
  /** (§16) When they unsubscribed from the site's emails (one-click or the link); null: never. */
  email_unsubscribed_at: string | null;
  first_seen_at: string;
  last_seen_at: string;
  created_at: string;
  updated_at: string;
}

export interface PageView {
  /** Without its query string unless the site keeps them; no fragment. */
  url: string;
  title: string | null;
  at: string;
}

/** What is known of a visitor's browser and visit, shown beside their conversation. */
export interface VisitorContext {
  first_page: PageView | null;
  current_page: PageView | null;
  /** This visitor's pages, oldest first, at most PAGE_HISTORY_LIMIT. */
  pages: PageView[];
  referrer: string | null;
  /** `utm_source`, `utm_medium`, `utm_campaign`, `utm_term`, `utm_content` of the first page that had any. */
  utm: Record<string, string>;
  browser: string | null;
  os: string | null;
  /** `"desktop"`, `"mobile"`, `"tablet"`, … as the user agent says. */
  device: string | null;
  user_agent: string | null;
  /** The browser's preferred language (BCP 47). */
  language: string | null;
  /** IANA time zone, from the widget. */
  time_zone: string | null;
  /** Owners only: the address the visitor came from. Never sent to the widget. */
  ip_address?: string | null;
  first_seen_at: string | null;
  last_seen_at: string | null;
}

/** `GET /conversations/:id/context`. */
export interface ConversationContextResponse {
  conversation_id: number;
  context: VisitorContext;
  contact: Contact | null;
  /** The contact's other conversations, newest first (at most 20). */
  past_conversations: Conversation[];
}

export interface ContactsResponse {
  contacts: Contact[];
  /** Pass as `before` for the next page; null: no more. */
  next_cursor: number | null;
}

export interface ContactResponse {
  contact: Contact;
}

/** `GET /contacts/:id`. */
export interface ContactDetailResponse {
  contact: Contact;
  conversations: Conversation[];
}

/** `PATCH /contacts/:id`: fields present change; `attributes` merge (null removes). */
export interface UpdateContactRequest {
  name?: string | null;
  email?: string | null;
  attributes?: Record<string, ContactAttributeValue | null>;
}

/** `POST /contacts/:id/merge`: moves `contact_id`'s conversations and details into `:id`. */
export interface MergeContactsRequest {
  contact_id: number;
}

/** `GET /sites/:id/identity` and `POST /sites/:id/identity/rotate` (owners only). */
export interface IdentitySecretResponse {
  secret: string;
}

// ---------------------------------------------------------------------------------------------
// §13 Webhooks (parley)
// ---------------------------------------------------------------------------------------------

/** What a webhook may subscribe to (`contact.identified`: `parley` format only). */
export const WEBHOOK_EVENT_TYPES = [
  "conversation.created",
  "message.created",
  "conversation.status_changed",
  "conversation.assigned",
  "contact.identified",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** `parley`: the signed event below; `slack`: a Slack incoming-webhook message, unsigned. */
export type WebhookFormat = "parley" | "slack";

export const MAX_WEBHOOKS_PER_SITE = 10;
export const MAX_WEBHOOK_URL_LENGTH = 2000;
/** The secret's prefix; the rest is 32 random bytes, base64url. */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** The request headers of a `parley` delivery. */
export const WEBHOOK_HEADERS = {
  eventId: "Parley-Event-Id",
  eventType: "Parley-Event-Type",
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed with the secret>`. */
  signature: "Parley-Signature",
} as const;

export interface Webhook {
  id: number;
  site_id: number;
  url: string;
  events: WebhookEventType[];
  format: WebhookFormat;
  enabled: boolean;
  /** Set when Parley (failing for too long) or an owner turned it off; null while enabled. */
  disabled_at: string | null;
  disabled_reason: string | null;
  /** The first failure of the current run of failures; null after a success. */
  failing_since: string | null;
  created_at: string;
  updated_at: string;
}

/** `POST /sites/:id/webhooks`. */
export interface CreateWebhookRequest {
  url: string;
  /** At least one. */
  events: WebhookEventType[];
  /** Default `parley`. */
  format?: WebhookFormat;
  /** Default true. */
  enabled?: boolean;
}

/** `PATCH /sites/:id/webhooks/:webhook_id`: the fields given change; `enabled: true` clears a disable. */
export interface UpdateWebhookRequest {
  url?: string;
  events?: WebhookEventType[];
  format?: WebhookFormat;
  enabled?: boolean;
}

export interface WebhookResponse {
  webhook: Webhook;
}

/** The answer to a create: the secret is in it, and later only in `GET …/secret`. */
export interface CreatedWebhookResponse {
  webhook: Webhook;
  secret: string;
}

export interface WebhooksResponse {
  webhooks: Webhook[];
}

export interface WebhookSecretResponse {
  secret: string;
}

export type WebhookDeliveryStatus = "pending" | "delivered" | "failed";

/** One event on its way to one webhook: the log's line. A resend is a new delivery of the same event id. */
export interface WebhookDelivery {
  id: number;
  webhook_id: number;
  event_id: string;
  event_type: WebhookEventType;
  conversation_id: number | null;
  status: WebhookDeliveryStatus;
  /** Requests made so far. */
  attempts: number;
  /** While pending: when the next request goes (it may also wait for an earlier event). */
  next_attempt_at: string | null;
  /** The receiver's last HTTP status; null when it never answered. */
  response_status: number | null;
  last_error: string | null;
  /** How long the last request took. */
  duration_ms: number | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

/** `GET …/deliveries?before=<cursor>&limit=<1..100>`: newest first; `next_cursor` null on the last page. */
export interface WebhookDeliveriesResponse {
  deliveries: WebhookDelivery[];
  next_cursor: string | null;
}

export interface WebhookDeliveryResponse {
  delivery: WebhookDelivery;
}

/** `message.created`'s sender, in words a receiver reads without knowing §5's `admin`. */
export type WebhookSender = "visitor" | "agent";

export interface WebhookEventData {
  "conversation.created": { conversation: Conversation };
  "message.created": {
    conversation_id: number;
    sender: WebhookSender;
    message: Message;
    conversation: Conversation;
  };
  "conversation.status_changed": { conversation: Conversation; previous_status: ConversationStatus };
  "conversation.assigned": { conversation: Conversation; previous_assignee_id: number | null };
  /** A token became a verified contact (§12); its conversation on the site, if it has one. */
  "contact.identified": { contact: Contact; conversation_id: number | null };
}

/** The body of a `parley` delivery: the same bytes on every attempt and resend. */
export type WebhookEvent = {
  [T in WebhookEventType]: {
    /** A UUID, the same on every attempt: receivers de-duplicate on it. */
    id: string;
    type: T;
    created_at: string;
    site_id: number;
    data: WebhookEventData[T];
  };
}[WebhookEventType];

// ---------------------------------------------------------------------------------------------
// §14 The team's faces, reply expectations and first run (parley)
// ---------------------------------------------------------------------------------------------

/** `PUT` a multipart `file` (PNG, JPEG, WebP or GIF) here to set one's photo; `DELETE` removes it. */
export const AVATAR_PATH = "/agents/me/avatar";
/** Avatars are served from here, public and immutable (the name changes with the picture). */
export const AVATARS_PREFIX = "/avatars/";
/** The stored avatar is a square WebP of this many pixels, centre-cropped if not square. */
export const AVATAR_SIZE = 256;
/** The largest avatar upload. */
export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;
/** The widget shows at most this many faces. */
export const MAX_TEAM_FACES = 5;
export const REPLY_TIME_WINDOW_DAYS = 14;
export const REPLY_TIME_MIN_SAMPLES = 3;

/** One face of a site's team as visitors see it: no username, no role. */
export interface TeamMember {
  id: number;
  name: string;
  avatar_url: string | null;
  online: boolean;
}

/** `PUT /agents/me/avatar` and `DELETE /agents/me/avatar` 200. */
export interface AvatarResponse {
  agent: Agent;
}

/**
 * `GET /onboarding`: what the inbox's first-run checklist cannot see from where it is. The
 * agent's own name and photo come from `/auth/me`, notifications from the browser.
 */
export interface OnboardingResponse {
  /** A visitor's page was seen on an origin other than the server's own (the widget is on a site). */
  widget_installed: boolean;
  /** Any conversation exists (for example the owner's test message from the demo page). */
  has_conversation: boolean;
  /** Agents in the team, the caller included. */
  team_size: number;
}

// ---------------------------------------------------------------------------------------------
// §15 Team workflow: states, labels, notes, canned replies, availability, assignment (parley)
// ---------------------------------------------------------------------------------------------

/**
 * A conversation's workflow state. The seed's `status` stays beside it, derived: `"closed"` when
 * the state is `resolved`, `"open"` otherwise; the seed's `close`/`reopen` set `resolved`/`open`.
 * A visitor's message moves a `pending`, `snoozed` or `resolved` conversation back to `open`.
 */
export type ConversationState = "open" | "pending" | "snoozed" | "resolved";
export const CONVERSATION_STATES: readonly ConversationState[] = ["open", "pending", "snoozed", "resolved"];

/** The list's views by assignee; their counts are of conversations that are `open` or `pending`. */
export interface ViewCounts {
  mine: number;
  unassigned: number;
  all: number;
}

export const MAX_LABEL_NAME_LENGTH = 40;
export const MAX_LABELS = 200;
/** A conversation carries at most this many labels. */
export const MAX_LABELS_PER_CONVERSATION = 20;

/** Owners define labels; agents put them on and take them off conversations. */
export interface Label {
  id: number;
  name: string;
  /** `#rrggbb`. */
  color: string;
  created_at: string;
}

export const MAX_NOTE_LENGTH = 5000;

/**
 * A private note: agents only. Notes live apart from messages (their own table, ids and events),
 * so no path a visitor reads — VisitorChannel history and `since`, the widget, REST for visitors,
 * transcripts, webhooks — can carry one.
 */
export interface Note {
  id: number;
  conversation_id: number;
  agent: AgentRef;
  /** Plain text, shown as text; `@username` mentions stay in it as written. */
  content: string;
  /** The agents the note mentions (`@username` of an agent who answers the site), each notified. */
  mention_ids: number[];
  client_id?: string;
  created_at: string;
}

export const MAX_CANNED_SHORTCUT_LENGTH = 32;
export const CANNED_SHORTCUT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const MAX_CANNED_CONTENT_LENGTH = MAX_MESSAGE_LENGTH;
/** Variables a canned reply may hold; the inbox fills them in before sending. */
export const CANNED_VARIABLES = ["visitor.name", "agent.name", "site.name"] as const;

/**
 * A saved answer. `personal` ones belong to `agent_id` and only they see them; `shared` ones are
 * managed by owners and seen by every agent of `site_id` (null: every site).
 */
export interface CannedReply {
  id: number;
  scope: "personal" | "shared";
  /** Typed after `/` in the composer. Unique per scope and owner (personal) or site (shared). */
  shortcut: string;
  content: string;
  site_id: number | null;
  agent_id: number | null;
  created_at: string;
  updated_at: string;
}

/**
 * What an agent chose. What others see (`Agent.availability`) is `offline` when they chose
 * offline or have no inbox open, `away` when they chose away or every open inbox has been idle
 * longer than the owner's `away_after_idle_minutes`, else `online`.
 */
export type AgentAvailability = "online" | "away" | "offline";

export type AutoAssign = "off" | "round_robin";

/** The inbox sends `activity` at most this often while the agent is using it. */
export const ACTIVITY_INTERVAL_MS = 30_000;

/** `GET /labels` and `labels_updated`. */
export interface LabelsResponse {
  labels: Label[];
}
export interface CreateLabelRequest {
  name: string;
  color: string;
}
export type UpdateLabelRequest = Partial<CreateLabelRequest>;

export interface NotesResponse {
  notes: Note[];
}
export interface CreateNoteRequest {
  content: string;
  client_id?: string;
}

export interface CannedRepliesResponse {
  canned_replies: CannedReply[];
}
export interface CreateCannedReplyRequest {
  scope: "personal" | "shared";
  shortcut: string;
  content: string;
  /** Shared ones only: null or absent for every site. */
  site_id?: number | null;
}
export type UpdateCannedReplyRequest = Partial<Omit<CreateCannedReplyRequest, "scope">>;

export interface SetStateRequest {
  state: ConversationState;
  snoozed_until?: string | null;
}
export interface SetLabelsRequest {
  label_ids: number[];
}
export interface SetAvailabilityRequest {
  availability: AgentAvailability;
}

// ---------------------------------------------------------------------------------------------
// §16 Email: replies out, answers in, transcripts, agents' alerts (parley)
// ---------------------------------------------------------------------------------------------

/** The languages emails are written in; anything else falls back to English. */
export const EMAIL_LOCALES = ["en", "fr", "ja"] as const;
export type EmailLocale = (typeof EMAIL_LOCALES)[number];

/** How long a reopen link (`#parley=` in a reply email) works. */
export const RESUME_LINK_DAYS = 30;
/** The fragment key a reply email's link carries to the site's page: `#parley=<link>`. */
export const RESUME_FRAGMENT_KEY = "parley";

/** When an agent hears by email (`Agent.email_alerts`): never, within the site's hours, always. */
export type AgentEmailAlerts = "off" | "within_hours" | "always";

/** `GET /settings/email` (owners): whether email is on, as the environment configures it. */
export interface EmailStatusResponse {
  /** SMTP_URL, MAIL_FROM and PUBLIC_URL are set: Parley sends email. */
  sending: boolean;
  /** IMAP_URL is set too: visitors' answers by email are read. */
  receiving: boolean;
  /** MAIL_FROM as configured; null when sending is off. */
  from: string | null;
  /** The address visitors answer to (MAIL_REPLY_TO, else MAIL_FROM's); null when receiving is off. */
  reply_to: string | null;
  /** The last mailbox check (ISO 8601 UTC) and its error, if it failed; null: none yet. */
  last_fetch_at: string | null;
  last_fetch_error: string | null;
  /** Emails waiting to go out (queued or retrying), and those given up on in the last 24 hours. */
  queued: number;
  failed_last_day: number;
}

/** `POST /settings/email/test` (owners). */
export interface TestEmailRequest {
  to: string;
}

/** `POST /conversations/:id/transcript` (agents): absent `email`: the contact's. */
export interface AgentTranscriptRequest {
  email?: string;
}

/** `POST /widget/transcript`: the visitor's conversation, to `email` (also saved on the contact) or the contact's. */
export interface VisitorTranscriptRequest {
  token: string;
  site?: string;
  email?: string;
}

/** `POST /widget/resume`: exchange a reply email's link for the conversation's token. */
export interface ResumeRequest {
  /** The value after `#parley=`. */
  link: string;
  site?: string;
}

export interface ResumeResponse {
  /** The conversation's visitor token: the widget stores it and subscribes with it. */
  token: string;
  conversation_id: number;
}

/** `PUT /agents/me/email` (each agent for themselves). */
export interface AgentEmailRequest {
  /** null: no email (no alerts). */
  email: string | null;
  email_alerts: AgentEmailAlerts;
  /** A visitor's message unanswered this long is emailed (1–1440). */
  email_alert_after_minutes: number;
}

/** `GET /agents/me/email`. */
export interface AgentEmailResponse {
  email: string | null;
  email_alerts: AgentEmailAlerts;
  email_alert_after_minutes: number;
}

// ---------------------------------------------------------------------------------------------
// §17 Privacy: export, erasure, retention, and the audit log (parley)
// ---------------------------------------------------------------------------------------------

/** What the audit log records, each with who (an agent, a token, or nobody: the system) and when. */
export const AUDIT_ACTIONS = [
  "auth.login",
  "auth.login_failed",
  "auth.logout",
  "agent.created",
  "agent.updated",
  "agent.deleted",
  "agent.password_changed",
  "settings.updated",
  "site.created",
  "site.updated",
  "site.identity_rotated",
  "api_token.created",
  "api_token.revoked",
  "webhook.created",
  "webhook.updated",
  "webhook.deleted",
  "conversation.deleted",
  "contact.exported",
  "contact.erased",
  "conversation.exported",
  "conversation.erased",
  "retention.deleted",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  action: AuditAction;
  /** The agent who acted (their name kept if they are deleted since); null: a token or the system. */
  agent_id: number | null;
  agent_name: string | null;
  /** The API token that acted, by id; null otherwise. */
  api_token_id: number | null;
  /** The address the request came from; null for the system's own actions (retention). */
  ip_address: string | null;
  /** What it was done to: `"agent"`, `"site"`, `"contact"`, `"conversation"`, … and its id. */
  target_type: string | null;
  target_id: number | null;
  site_id: number | null;
  /** Facts that help read it later (a username tried, fields changed, how many deleted); never secrets. */
  details: Record<string, string | number | boolean | null | string[]>;
  at: string;
}

/** `GET /audit_log` (owners): newest first. */
export interface AuditLogResponse {
  entries: AuditEntry[];
  /** Pass as `before` for the next page; null: no more. */
  next_cursor: number | null;
}

/** `POST /contacts/:id/erase` and `POST /conversations/:id/erase` (owners): a confirmation. */
export interface EraseRequest {
  /** Must be the string `"erase"`: a guard against a stray call. */
  confirm: "erase";
}

export interface EraseResponse {
  /** What was deleted. */
  conversations: number;
  messages: number;
  files: number;
  contacts: number;
}

// ---------------------------------------------------------------------------------------------
// §18 Reports and satisfaction ratings (parley)
// ---------------------------------------------------------------------------------------------

/** A rating's scores: 1 (very unhappy) to 5 (very happy); 4 and 5 count as satisfied. */
export const RATING_SCORES = [1, 2, 3, 4, 5] as const;
export type RatingScore = (typeof RATING_SCORES)[number];
export const MAX_RATING_COMMENT_LENGTH = 500;
/** The longest period one report covers, in days. */
export const MAX_REPORT_DAYS = 366;

/** A visitor's rating of a conversation, asked by the widget when it is resolved. */
export interface ConversationRating {
  score: RatingScore;
  /** The visitor's words, ≤ MAX_RATING_COMMENT_LENGTH; null: none. */
  comment: string | null;
  /** Who it is credited to: the assignee when it is given, else the last agent who replied. */
  agent_id: number | null;
  rated_at: string;
}

/** Durations over a set of conversations, in whole seconds. */
export interface DurationStats {
  /** How many conversations the figures are over. */
  count: number;
  /** null while `count` is 0. */
  median_seconds: number | null;
  p90_seconds: number | null;
}

export interface RatingStats {
  count: number;
  /** The mean score, to two decimals; null while `count` is 0. */
  average: number | null;
  /** Share of 4 and 5 among the ratings, 0–100 to one decimal; null while `count` is 0. */
  satisfied_percent: number | null;
  /** How many of each score, 1 to 5. */
  scores: [number, number, number, number, number];
}

/** One report's figures (over the period, a day, a site or an agent). */
export interface ReportFigures {
  /** Conversations started (created) in it. */
  conversations: number;
  visitor_messages: number;
  agent_messages: number;
  /** Conversations resolved in it (at their last resolution). */
  resolved: number;
  /** Of the conversations whose first visitor message is in it: those with no agent reply yet. */
  unanswered: number;
  /** First visitor message → first agent message after it, for those whose first visitor message is in it. */
  first_response: DurationStats;
  /** Creation → last resolution, for those resolved in it. */
  resolution: DurationStats;
  /** Ratings given in it. */
  ratings: RatingStats;
}

export interface ReportDay extends ReportFigures {
  /** The local day in the report's time zone, `YYYY-MM-DD`. */
  date: string;
}

export interface ReportBreakdown extends ReportFigures {
  /** The site's or agent's id and name. */
  id: number;
  name: string;
}

/**
 * `GET /reports?since=YYYY-MM-DD&until=YYYY-MM-DD&time_zone=&site_id=&agent_id=` (owners; an
 * agent gets their own figures only). `since` and `until` are local days, both included.
 */
export interface ReportResponse {
  since: string;
  until: string;
  time_zone: string;
  site_id: number | null;
  agent_id: number | null;
  totals: ReportFigures;
  /** Every day of the period, oldest first, empty days included. */
  days: ReportDay[];
  /** Conversations started, by local weekday (0 Monday … 6 Sunday) and hour (0–23). */
  busiest_hours: number[][];
  /** Per site the reader answers, in the order of `GET /sites`. */
  sites: ReportBreakdown[];
  /** Per agent (owners: every agent; an agent: themselves), by name. */
  agents: ReportBreakdown[];
}

/** `GET /reports/export?…&table=days|sites|agents`: the same figures as CSV, one row each. */
export type ReportTable = "days" | "sites" | "agents";
export const REPORT_TABLES: readonly ReportTable[] = ["days", "sites", "agents"];
