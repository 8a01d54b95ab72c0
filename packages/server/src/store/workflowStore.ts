/**
 * The store's part for the team workflow (protocol §15): labels, the conditional state changes a
 * race must not undo (a snooze waking, a visitor reopening), and the view counts.
 */
import type { StoredConversation } from "./store.js";

export interface StoredLabel {
  id: number;
  name: string;
  /** `#rrggbb`. */
  color: string;
  createdAt: string;
}

export interface LabelPatch {
  name?: string;
  color?: string;
}

export interface ViewCountsQuery {
  agentId: number;
  /** Only conversations of these sites ([]: none); undefined: every site. */
  siteIds?: number[];
}

export interface WorkflowStore {
  /** Every label, by id. */
  listLabels(): Promise<StoredLabel[]>;
  getLabel(id: number): Promise<StoredLabel | undefined>;
  countLabels(): Promise<number>;
  /** Throws UniqueViolationError when a label has the same name ignoring case. */
  createLabel(input: { name: string; color: string; at: string }): Promise<StoredLabel>;
  /** Throws UniqueViolationError as createLabel. */
  updateLabel(id: number, patch: LabelPatch): Promise<StoredLabel | undefined>;
  /** Takes it off every conversation too; false when it did not exist. */
  deleteLabel(id: number): Promise<boolean>;
  /**
   * Replaces the conversation's labels, in one transaction; `unknown` lists ids that name no
   * label (then nothing changed). Undefined when the conversation is gone.
   */
  setConversationLabels(
    conversationId: number,
    labelIds: number[],
  ): Promise<{ conversation: StoredConversation; unknown: [] } | { unknown: number[] } | undefined>;
  /**
   * A snooze's time came: `open` only while it is still `snoozed` until exactly `until` (a snooze
   * changed since does not wake early). The conversation when it woke, undefined when not.
   */
  wakeSnoozed(id: number, until: string): Promise<StoredConversation | undefined>;
  /**
   * A visitor wrote: `open` when it was `pending`, `snoozed` or `resolved`, in one statement.
   * The conversation when it changed, undefined when it was open already.
   */
  reopenForVisitor(id: number): Promise<StoredConversation | undefined>;
  /** The agent's `open` and `pending` conversations: theirs, nobody's, all. */
  countViews(query: ViewCountsQuery): Promise<{ mine: number; unassigned: number; all: number }>;
}
