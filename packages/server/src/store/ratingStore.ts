/**
 * The store's part for satisfaction ratings (protocol §18): asking for one when a conversation is
 * resolved, and keeping the visitor's answer, one per conversation. Both are conditional writes,
 * so a conversation reopened or rated meanwhile is not asked or rated by mistake.
 */
import type { StoredConversation } from "./store.js";

/** A conversation's rating as kept (`conversation_ratings`). */
export interface StoredRating {
  score: number;
  comment: string | null;
  /** The agent it is credited to; null: nobody. */
  agentId: number | null;
  ratedAt: string;
}

export interface RatingStore {
  /**
   * Marks the conversation as waiting for its visitor's rating (`rating_requested_at = at`), only
   * while it is resolved. The conversation when it was marked, undefined when not.
   */
  requestRating(conversationId: number, at: string): Promise<StoredConversation | undefined>;
  /**
   * Stores the visitor's rating while one is pending (resolved, asked, and not rated since it was
   * asked), replacing an earlier one, credited to the assignee, else the last agent who replied.
   * The conversation with its rating when stored, undefined when nothing was pending.
   */
  saveRating(input: {
    conversationId: number;
    score: number;
    comment: string | null;
    at: string;
  }): Promise<StoredConversation | undefined>;
}

/** Whether the conversation waits for its visitor's rating (`history.conversation.rating_requested`). */
export function ratingPending(conversation: StoredConversation): boolean {
  const asked = conversation.ratingRequestedAt;
  return (
    conversation.state === "resolved" &&
    asked !== null &&
    (conversation.rating === null || conversation.rating.ratedAt < asked)
  );
}
