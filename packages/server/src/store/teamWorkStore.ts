/**
 * The store's part for the agents' side of the team workflow (protocol §15): private notes,
 * canned replies, agents' chosen availability and the round-robin's bookkeeping.
 */
import type { AgentAvailability } from "@parley/protocol";
import type { StoredAgent } from "./store.js";

export interface StoredNote {
  id: number;
  conversationId: number;
  /** Null once the author was removed; `agentName` stays. */
  agentId: number | null;
  agentName: string;
  content: string;
  mentionIds: number[];
  clientId: string | null;
  createdAt: string;
}

export interface NewNote {
  conversationId: number;
  agentId: number;
  agentName: string;
  content: string;
  mentionIds: number[];
  clientId: string | null;
  at: string;
}

export type CannedScope = "personal" | "shared";

export interface StoredCannedReply {
  id: number;
  scope: CannedScope;
  agentId: number | null;
  siteId: number | null;
  shortcut: string;
  content: string;
  createdAt: string;
  updatedAt: string;
}

export interface NewCannedReply {
  scope: CannedScope;
  agentId: number | null;
  siteId: number | null;
  shortcut: string;
  content: string;
  at: string;
}

export interface CannedReplyPatch {
  shortcut?: string;
  content?: string;
  siteId?: number | null;
  at: string;
}

export interface TeamWorkStore {
  /**
   * Stores a note, or returns the one already stored with the same (conversation, client id);
   * `created` says which.
   */
  appendNote(input: NewNote): Promise<{ note: StoredNote; created: boolean }>;
  /** A conversation's notes, oldest first, at most `limit`. */
  listNotes(conversationId: number, limit: number): Promise<StoredNote[]>;

  /** The agent's personal replies and every shared one, oldest first. */
  listCannedRepliesFor(agentId: number): Promise<StoredCannedReply[]>;
  getCannedReply(id: number): Promise<StoredCannedReply | undefined>;
  /** Every reply, of any scope and agent, with this shortcut. */
  listCannedRepliesByShortcut(shortcut: string): Promise<StoredCannedReply[]>;
  /** How many personal replies the agent has (agentId) or how many shared ones exist (null). */
  countCannedReplies(agentId: number | null): Promise<number>;
  createCannedReply(input: NewCannedReply): Promise<StoredCannedReply>;
  updateCannedReply(id: number, patch: CannedReplyPatch): Promise<StoredCannedReply | undefined>;
  deleteCannedReply(id: number): Promise<boolean>;

  /** Remembers what the agent chose; the agent, or undefined when there is none. */
  setChosenAvailability(agentId: number, availability: AgentAvailability): Promise<StoredAgent | undefined>;
  /** The round-robin gave the agent a conversation at `at`. */
  recordAutoAssignment(agentId: number, at: string): Promise<void>;
  /**
   * How many conversations each agent has assigned that still want work (state `open` or
   * `pending`), for those with any.
   */
  countActiveAssigned(agentIds: readonly number[]): Promise<Map<number, number>>;
}
