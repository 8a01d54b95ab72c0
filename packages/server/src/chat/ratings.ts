/**
 * Satisfaction ratings (protocol §18): a resolved conversation asks its visitor for a rating
 * (when its site wants them), and the visitor's answer is kept, told to every tab of theirs and to
 * the site's agents. Committed first, announced after, as everywhere in chat/.
 */
import {
  MAX_RATING_COMMENT_LENGTH,
  RATING_SCORES,
  type RatingScore,
  type VisitorEvent,
} from "@parley/protocol";
import type { StoredConversation } from "../store/store.js";
import type { ChatContext } from "./context.js";
import { invalid } from "./errors.js";
import { visitorStream } from "./streams.js";
import { toWireRating } from "./toWire.js";
import { plainText } from "./validate.js";

export type RateResult = { kind: "rated" } | { kind: "too_fast"; retryAfterMs: number };

export function ratingScore(value: unknown): RatingScore {
  if (!(RATING_SCORES as readonly unknown[]).includes(value)) throw invalid("score must be 1 to 5");
  return value as RatingScore;
}

/** Cleaned like a message (§3); absent, null or blank: none. */
export function ratingComment(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw invalid("Comment must be text");
  const comment = plainText(value).trim();
  if ([...comment].length > MAX_RATING_COMMENT_LENGTH)
    throw invalid(`Comment too long (max ${MAX_RATING_COMMENT_LENGTH})`);
  return comment === "" ? null : comment;
}

export class Ratings {
  constructor(private readonly chat: ChatContext) {}

  /**
   * After any change of state (inbox.ts, workflow.ts): a conversation that just became resolved,
   * on a site that asks for ratings, asks its visitor. Answers the conversation as it is now.
   */
  async afterStateChange(
    conversation: StoredConversation,
    before: StoredConversation,
  ): Promise<StoredConversation> {
    if (conversation.state !== "resolved" || before.state === "resolved") return conversation;
    const site = await this.chat.store.getSite(conversation.siteId);
    if (site === undefined || !site.widget.ask_rating) return conversation;
    const asked = await this.chat.store.requestRating(conversation.id, this.chat.now().toISOString());
    // Reopened in between (the visitor wrote): nothing to ask.
    if (asked === undefined) return conversation;
    await this.chat.broker.publish(visitorStream(asked.visitorToken), {
      type: "rating_requested",
      conversation_id: asked.id,
    } satisfies VisitorEvent);
    return asked;
  }

  /** The visitor's `rate`: counted like their messages, refused with nothing pending. */
  async rate(input: {
    token: string;
    siteId: number;
    score: unknown;
    comment: unknown;
  }): Promise<RateResult> {
    const score = ratingScore(input.score);
    const comment = ratingComment(input.comment);
    const limit = await this.chat.limits.messages.take(input.token);
    if (!limit.ok) return { kind: "too_fast", retryAfterMs: limit.retryAfterMs };
    const conversation = await this.chat.store.findConversationByToken(input.token);
    // A token's conversation on another site (two tabs, two sites) is not this widget's to rate.
    if (conversation === undefined || conversation.siteId !== input.siteId) throw nothingToRate();
    const rated = await this.chat.store.saveRating({
      conversationId: conversation.id,
      score,
      comment,
      at: this.chat.now().toISOString(),
    });
    if (rated?.rating == null) throw nothingToRate();
    await Promise.all([
      this.chat.broker.publish(visitorStream(rated.visitorToken), {
        type: "rated",
        rating: toWireRating(rated.rating),
      } satisfies VisitorEvent),
      this.chat.events.conversationChanged(rated),
    ]);
    return { kind: "rated" };
  }
}

function nothingToRate() {
  return invalid("Nothing to rate");
}
