/** The period's totals as cards, durations in words, and the ratings by score. */
import type { RatingStats, ReportFigures } from "@parley/protocol";
import { RATING_SCORES } from "@parley/protocol";
import type { ComponentChildren } from "preact";
import { useReportsT } from "../../i18n/reports/index.js";
import { formatNumber, humanDuration } from "../../state/reports.js";

export function Totals(props: { figures: ReportFigures; locale: string }) {
  const t = useReportsT();
  const { figures, locale } = props;
  const number = (value: number | null, digits = 0): string => formatNumber(value, locale, digits);
  const { first_response: first, resolution, ratings } = figures;
  return (
    <section class="reports-section" aria-labelledby="reports-totals">
      <h2 id="reports-totals">{t.reportsTotals}</h2>
      <dl class="stats">
        <Stat name="conversations" label={t.reportsConversations} value={number(figures.conversations)}>
          {`${t.reportsResolved}: ${number(figures.resolved)}`}
        </Stat>
        <Stat
          name="messages"
          label={t.reportsMessages}
          value={number(figures.visitor_messages + figures.agent_messages)}
        >
          {t.reportsMessagesSplit(number(figures.visitor_messages), number(figures.agent_messages))}
        </Stat>
        <Stat
          name="first-response"
          label={t.reportsFirstResponse}
          value={humanDuration(first.median_seconds, t)}
        >
          <span>
            {t.reportsMedianLabel} · {t.reportsP90(humanDuration(first.p90_seconds, t))}
          </span>
          <span>{t.reportsOver(first.count)}</span>
        </Stat>
        <Stat
          name="resolution"
          label={t.reportsResolution}
          value={humanDuration(resolution.median_seconds, t)}
        >
          <span>
            {t.reportsMedianLabel} · {t.reportsP90(humanDuration(resolution.p90_seconds, t))}
          </span>
          <span>{t.reportsOver(resolution.count)}</span>
        </Stat>
        <Stat name="unanswered" label={t.reportsUnanswered} value={number(figures.unanswered)}>
          {t.reportsUnansweredHint}
        </Stat>
        <Stat
          name="satisfaction"
          label={t.reportsSatisfaction}
          value={ratings.count === 0 ? "—" : t.reportsSatisfied(number(ratings.satisfied_percent, 1))}
        >
          {ratings.count === 0 ? (
            t.reportsNoRatings
          ) : (
            <>
              <span>{t.reportsAverage(number(ratings.average, 2))}</span>
              <span>{t.reportsRatingsCount(ratings.count)}</span>
            </>
          )}
        </Stat>
      </dl>
    </section>
  );
}

function Stat(props: { name: string; label: string; value: string; children: ComponentChildren }) {
  return (
    <div class="stat card" data-stat={props.name}>
      <dt>{props.label}</dt>
      <dd class="stat-value">{props.value}</dd>
      <dd class="stat-detail muted small">{props.children}</dd>
    </div>
  );
}

/** How many of each score, 5 first, as bars against the most given one, with the counts written. */
export function RatingBars(props: { ratings: RatingStats; locale: string }) {
  const t = useReportsT();
  const { scores } = props.ratings;
  const most = Math.max(0, ...scores);
  if (props.ratings.count === 0) return <p class="muted">{t.reportsNoRatings}</p>;
  return (
    <ul class="rating-bars">
      {[...RATING_SCORES].reverse().map((score) => {
        const count = scores[score - 1] ?? 0;
        return (
          <li
            key={score}
            data-score={score}
            title={t.reportsScoreCount(score, formatNumber(count, props.locale))}
          >
            <span class="rating-score">{t.reportsScore(score)}</span>
            <span class="rating-bar" aria-hidden="true">
              <i style={{ width: `${most === 0 ? 0 : (count / most) * 100}%` }} />
            </span>
            <span class="rating-count">{formatNumber(count, props.locale)}</span>
          </li>
        );
      })}
    </ul>
  );
}
