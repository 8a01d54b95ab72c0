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
}

/** Variants: `history`, `message`, `error` (seed, with their seed fields); the rest (parley). */
export type VisitorEvent =
  | {
      type: "history";
      conversation: { id: number; visitor_name: string | null };
      messages: Message[];
      since?: number;
    }
  | { type: "message"; message: Message }
  | { type: "error"; error: string; client_id?: string }
  | { type: "too_fast"; retry_after_ms: number; client_id?: string }
  | { type: "typing"; typing: boolean; agent?: AgentRef }
  | { type: "availability"; online: boolean }
  | { type: "read"; up_to_id: number };

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
  | { action: "typing"; typing?: boolean };

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
  | { type: "caught_up"; last_id: number };

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
  | { action: "list_conversations"; status?: ConversationStatus | "all" }
  | { action: "typing"; conversation_id: number; typing?: boolean }
  | { action: "close"; conversation_id: number }
  | { action: "reopen"; conversation_id: number }
  | { action: "assign"; conversation_id: number; agent_id?: number | null };

// ---------------------------------------------------------------------------------------------
// §7 REST
// ---------------------------------------------------------------------------------------------

export interface ErrorBody {
  error: string;
}

export type AgentRole = "owner" | "agent";

export interface Agent {
  id: number;
  username: string;
  name: string;
  role: AgentRole;
  created_at: string;
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
  position: "left" | "right";
  locale: string | null;
  launcher_label: string | null;
  agents_online: boolean;
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
