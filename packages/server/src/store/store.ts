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
import type { AgentRole, ConversationStatus, Sender } from "@parley/protocol";

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
  lastMessage: StoredMessage | null;
}

export interface StoredAgent {
  id: number;
  username: string;
  name: string;
  role: AgentRole;
  passwordHash: string;
  createdAt: string;
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

export interface NewMessage {
  conversationId: number;
  sender: Sender;
  content: string;
  clientId: string | null;
  agentId: number | null;
  agentName: string | null;
  /** Set on the conversation in the same transaction (the visitor may rename themselves). */
  visitorName?: string | null;
  at: string;
}

export interface ConversationFilter {
  status?: ConversationStatus;
  /** A number: assigned to that agent; null: unassigned; undefined: anyone. */
  assigneeId?: number | null;
  /** Case-insensitive match on the visitor's name or any message's text. */
  search?: string;
  /** Keyset paging: only conversations ordered after this one (updated_at desc, id desc). */
  before?: { updatedAt: string; id: number };
  limit: number;
}

export interface ConversationPatch {
  status?: ConversationStatus;
  assigneeId?: number | null;
  visitorName?: string | null;
  visitorLastSeenAt?: string | null;
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

export interface Store {
  readonly engine: "sqlite" | "postgres";

  /** Brings the schema to the latest version; safe to run at every boot and concurrently. */
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // conversations
  getConversation(id: number): Promise<StoredConversation | undefined>;
  findConversationByToken(token: string): Promise<StoredConversation | undefined>;
  /** Creates the token's conversation or returns the existing one; `created` says which. */
  createConversation(input: {
    token: string;
    visitorName: string | null;
    createdIp: string | null;
    at: string;
  }): Promise<{ conversation: StoredConversation; created: boolean }>;
  countConversationsFromIpSince(ip: string, since: string): Promise<number>;
  listConversations(filter: ConversationFilter): Promise<StoredConversation[]>;
  updateConversation(id: number, patch: ConversationPatch): Promise<StoredConversation | undefined>;
  /** Zeroes the unread count and remembers the highest message id read. */
  markConversationRead(id: number, upToId: number): Promise<StoredConversation | undefined>;
  /** Deletes the conversation and its messages; false when it did not exist. */
  deleteConversation(id: number): Promise<boolean>;

  // messages
  /** Stores a message, or returns the one already stored with the same (conversation, client id). */
  appendMessage(input: NewMessage): Promise<{ message: StoredMessage; created: boolean }>;
  /** A conversation's messages, oldest first. */
  listMessages(conversationId: number, range: MessageRange): Promise<StoredMessage[]>;
  /** Messages of every conversation with id > afterId, in id order (agents' catch-up). */
  listMessagesSince(afterId: number, limit: number): Promise<StoredMessage[]>;

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
    patch: { name?: string; passwordHash?: string; role?: AgentRole },
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

  // push subscriptions
  savePushSubscription(input: {
    agentId: number;
    endpoint: string;
    p256dh: string;
    auth: string;
    at: string;
  }): Promise<StoredPushSubscription>;
  deletePushSubscription(agentId: number, endpoint: string): Promise<boolean>;
  listPushSubscriptions(agentId: number): Promise<StoredPushSubscription[]>;
}
