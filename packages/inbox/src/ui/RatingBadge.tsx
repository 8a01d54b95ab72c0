/**
 * (§18) The visitor's rating of the conversation, in its header: the score (stars for the eye,
 * words for everyone), their comment, and the agent it is credited to. Nothing until they rated.
 */
import type { Conversation } from "@parley/protocol";
import { useT } from "../i18n/index.js";
import { useInbox } from "./useInbox.js";

export function RatingBadge({ conversation }: { conversation: Conversation }) {
  const t = useT();
  const agents = useInbox((state) => state.agents);
  const rating = conversation.rating;
  if (!rating) return null;
  const credited =
    rating.agent_id === null
      ? null
      : (agents.find((agent) => agent.id === rating.agent_id)?.name ?? t.anAgent);
  return (
    <p class="rating" role="group" aria-label={t.ratingLabel} data-score={rating.score}>
      <span class={`rating-score${rating.score >= 4 ? " happy" : rating.score <= 2 ? " unhappy" : ""}`}>
        <span aria-hidden="true">
          {"★".repeat(rating.score)}
          {"☆".repeat(5 - rating.score)}
        </span>{" "}
        {t.ratingScore(rating.score)}
      </span>
      {rating.comment !== null && (
        <q class="rating-comment" title={rating.comment}>
          {rating.comment}
        </q>
      )}
      {credited !== null && <span class="muted small">{t.ratingCredited(credited)}</span>}
    </p>
  );
}
