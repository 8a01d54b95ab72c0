/**
 * The tables as Kysely sees them: column names and the JS types the drivers return. Both engines
 * return the same shapes: timestamps are ISO strings (text columns) and ids are numbers (the
 * Postgres pool parses int8 into numbers, see postgresPool.ts).
 */
import type { Generated, GeneratedAlways } from "kysely";
import type { AgentRole, ConversationStatus, Sender } from "@parley/protocol";
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
}

export interface AgentsTable {
  id: Generated<number>;
  username: string;
  name: string;
  role: AgentRole;
  password_hash: string;
  created_at: string;
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

export interface Database {
  conversations: ConversationsTable;
  messages: MessagesTable;
  agents: AgentsTable;
  sessions: SessionsTable;
  push_subscriptions: PushSubscriptionsTable;
}

export type Engine = Store["engine"];
