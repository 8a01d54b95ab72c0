/**
 * A site's typical first reply (protocol §14 `WidgetConfig.reply_time_seconds`): the median,
 * over the site's conversations whose first visitor message is in the last
 * REPLY_TIME_WINDOW_DAYS days, of the time from that message to the first agent message after
 * it; null while fewer than REPLY_TIME_MIN_SAMPLES of them were answered. Unanswered ones are
 * left out (they have no time yet). `firstReplyStats` is the computation itself, for whoever
 * needs it now (reports); `ReplyTimes` is the widget's cached view of it.
 *
 * The cache: `/widget/config` is asked on every page view, so it reads memory only. A site's
 * value is computed in the background when first asked for (and for every live site at start),
 * then again when asked for more than REFRESH_MS after the last computation; a request never
 * waits: until the first computation finishes, the site's value is null (the widget then says
 * nothing about reply times), as it is for a site with too few answered conversations. Each node
 * keeps its own cache: nodes may disagree for a few minutes, which a typical time can afford.
 */
import { REPLY_TIME_MIN_SAMPLES, REPLY_TIME_WINDOW_DAYS } from "@parley/protocol";
import type { Logger } from "pino";
import type { FirstReply, Store } from "../store/store.js";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A site's value is computed again at most this often (per node). */
export const REPLY_TIME_REFRESH_MS = 5 * 60 * 1000;

export interface ReplyStats {
  /** Conversations answered in the window. */
  answered: number;
  /** The median time to the first reply, in whole seconds; null under REPLY_TIME_MIN_SAMPLES answered. */
  medianSeconds: number | null;
}

/** The median of the answered ones' first-reply times, in whole seconds. */
export function replyStats(replies: readonly FirstReply[], minSamples = REPLY_TIME_MIN_SAMPLES): ReplyStats {
  const seconds = replies
    .filter((reply) => reply.replyAt !== null)
    .map((reply) => Math.max(0, (Date.parse(reply.replyAt!) - Date.parse(reply.visitorAt)) / 1000))
    .sort((a, b) => a - b);
  const answered = seconds.length;
  if (answered === 0 || answered < minSamples) return { answered, medianSeconds: null };
  const middle = Math.floor(answered / 2);
  const median = answered % 2 === 1 ? seconds[middle]! : (seconds[middle - 1]! + seconds[middle]!) / 2;
  return { answered, medianSeconds: Math.round(median) };
}

/** The site's first-reply stats over the `windowDays` days before `now`: one query. */
export async function firstReplyStats(
  store: Pick<Store, "listFirstReplies">,
  siteId: number,
  now: Date,
  windowDays = REPLY_TIME_WINDOW_DAYS,
): Promise<ReplyStats> {
  const since = new Date(now.getTime() - windowDays * DAY_MS).toISOString();
  return replyStats(await store.listFirstReplies(siteId, since));
}

interface Entry {
  seconds: number | null;
  /** When the last computation started (ms); undefined: never. */
  computedAtMs: number | undefined;
  running: Promise<void> | undefined;
}

export class ReplyTimes {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly store: Pick<Store, "listFirstReplies">,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  /** The site's value as last computed (null before the first); starts a computation when due. */
  current(siteId: number): number | null {
    const entry = this.entryOf(siteId);
    const due =
      entry.computedAtMs === undefined || this.now().getTime() - entry.computedAtMs >= REPLY_TIME_REFRESH_MS;
    if (due && entry.running === undefined) void this.refresh(siteId);
    return entry.seconds;
  }

  /** Computes the site's value now (or joins the computation under way); resolves when it is in. */
  refresh(siteId: number): Promise<void> {
    const entry = this.entryOf(siteId);
    if (entry.running !== undefined) return entry.running;
    entry.computedAtMs = this.now().getTime();
    entry.running = firstReplyStats(this.store, siteId, this.now())
      .then((stats) => {
        entry.seconds = stats.medianSeconds;
      })
      .catch((error: unknown) => {
        // The old value stays; the next try comes after REPLY_TIME_REFRESH_MS.
        this.logger.error({ err: error, siteId }, "computing the reply time failed");
      })
      .finally(() => {
        entry.running = undefined;
      });
    return entry.running;
  }

  /** Resolves when no computation is under way (tests, shutdown). */
  async idle(): Promise<void> {
    const running = [...this.entries.values()].flatMap((entry) =>
      entry.running === undefined ? [] : [entry.running],
    );
    await Promise.all(running);
  }

  private entryOf(siteId: number): Entry {
    let entry = this.entries.get(siteId);
    if (entry === undefined) {
      entry = { seconds: null, computedAtMs: undefined, running: undefined };
      this.entries.set(siteId, entry);
    }
    return entry;
  }
}
