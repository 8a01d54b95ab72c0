/**
 * Runs due jobs inside the server process: claims them from the store under a lease, runs a few
 * at a time, and finishes, retries (exponential backoff) or postpones each one. It polls, so jobs
 * enqueued on other nodes or due later are found, and wakes at once when this node enqueues.
 *
 * A job whose worker dies keeps its lease until it lapses, then any node claims it again; a
 * stopping worker waits for the jobs it runs, so a clean restart never repeats one.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import { Signal } from "../signal.js";
import type { ClaimedJob, Store } from "../store/store.js";
import { backoffDelayMs, DEFAULT_BACKOFF, type BackoffPolicy } from "./backoff.js";
import type { JobHandlers, JobOutcome } from "./job.js";

export type JobStore = Pick<Store, "claimJob" | "completeJob" | "rescheduleJob">;

export interface JobWorkerOptions {
  store: JobStore;
  handlers: JobHandlers;
  logger: Logger;
  now?: () => Date;
  pollIntervalMs?: number;
  /** How long a claim holds a job; a run must finish well within it. */
  leaseMs?: number;
  concurrency?: number;
  backoff?: BackoffPolicy;
}

/** How a run ended: what the handler said, or that its outcome could not be stored. */
export interface JobRun {
  kind: string;
  outcome: "done" | "retry" | "gave_up" | "postponed" | "failed_to_record";
}

/** A job of a kind this node does not know (a newer node enqueued it) waits for a node that does. */
const UNKNOWN_KIND_DELAY_MS = 60_000;

export class JobWorker {
  /** Every run this worker finishes (metrics count them). */
  readonly ran = new Signal<JobRun>();
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;
  private readonly leaseMs: number;
  private readonly concurrency: number;
  private readonly backoff: BackoffPolicy;
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private wakeAgain = false;
  /**
   * Whether a claim may find a job: false after a claim found none, until something may have made
   * one due (an enqueue or announce on this node, the poll). A finished run frees a slot, and it
   * claims only while this holds: after each run the claim for the next one, and after the last
   * one more, mostly found nothing, and those were two of a webhook run's three claims at 125
   * messages a second (docs/benchmarks.md, twentieth pass).
   */
  private maybeDue = true;
  private stopped = true;

  constructor(private readonly options: JobWorkerOptions) {
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.concurrency = options.concurrency ?? 4;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for due jobs now (after an enqueue on this node, or on the poll). */
  wake(): void {
    this.maybeDue = true;
    this.pumpNow();
  }

  /** A run finished: its slot goes to a due job, when the last claim did not find there was none. */
  private slotFreed(): void {
    if (this.maybeDue) this.pumpNow();
  }

  private pumpNow(): void {
    if (this.stopped) return;
    if (this.pumping !== undefined) {
      this.wakeAgain = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  /** Stops claiming and waits for the running jobs (at most `deadlineMs`). */
  async stop(deadlineMs = 10_000): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs)));
    await Promise.race([Promise.all([this.pumping, ...this.running]), deadline]);
    // A stopped worker leaves no timer behind, so a process that stops it can exit at once.
    clearTimeout(timer);
    if (this.running.size > 0) {
      this.options.logger.warn(
        { jobs: this.running.size },
        "jobs: stopped with jobs still running; they run again when their lease lapses",
      );
    }
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.wakeAgain = false;
        while (this.running.size < this.concurrency) {
          const job = await this.claim();
          if (job === undefined) {
            // A wake while this claim ran sets it again, and wakeAgain claims once more.
            this.maybeDue = false;
            break;
          }
          if (this.stopped) {
            // Claimed while stopping: hand it straight back so the next node or boot runs it.
            await this.options.store.rescheduleJob(job.id, job.leaseToken, { runAt: job.runAt });
            return;
          }
          const run: Promise<void> = this.run(job).finally(() => {
            this.running.delete(run);
            this.slotFreed();
          });
          this.running.add(run);
        }
      } while (this.wakeAgain && !this.stopped);
    } catch (error) {
      this.options.logger.error({ err: error }, "jobs: could not claim a job");
    }
  }

  private claim(): Promise<ClaimedJob | undefined> {
    const now = this.now();
    return this.options.store.claimJob({
      now: now.toISOString(),
      leaseToken: randomUUID(),
      leaseUntil: new Date(now.getTime() + this.leaseMs).toISOString(),
    });
  }

  private async run(job: ClaimedJob): Promise<void> {
    // Made when something is logged: most runs log nothing, and a pino child per job cost more
    // than the job's claim in the bench (like the channels' actionLogger).
    let child: Logger | undefined;
    const log = () =>
      (child ??= this.options.logger.child({ job: { id: job.id, kind: job.kind, attempts: job.attempts } }));
    try {
      const handler = this.options.handlers.get(job.kind);
      if (handler === undefined) {
        log().warn("jobs: no handler for this kind on this node; postponed");
        await this.finish(
          job,
          { kind: "postpone", until: new Date(this.now().getTime() + UNKNOWN_KIND_DELAY_MS) },
          log,
        );
        this.ran.emit({ kind: job.kind, outcome: "postponed" });
        return;
      }
      let outcome: JobOutcome;
      try {
        outcome = await handler.run(job);
      } catch (error) {
        outcome = { kind: "retry", error: error instanceof Error ? error.message : String(error) };
      }
      let reported: JobRun["outcome"] = outcome.kind === "postpone" ? "postponed" : outcome.kind;
      if (outcome.kind === "retry" && job.attempts + 1 >= handler.maxAttempts) {
        log().warn({ error: outcome.error }, "jobs: giving up after the last attempt");
        outcome = { kind: "done" };
        reported = "gave_up";
      }
      await this.finish(job, outcome, log);
      this.ran.emit({ kind: job.kind, outcome: reported });
    } catch (error) {
      // The store failed: the job keeps its lease and is claimed again once it lapses.
      log().error({ err: error }, "jobs: could not record a job's outcome");
      this.ran.emit({ kind: job.kind, outcome: "failed_to_record" });
    }
  }

  private async finish(job: ClaimedJob, outcome: JobOutcome, log: () => Logger): Promise<void> {
    let kept: boolean;
    switch (outcome.kind) {
      case "done":
        kept = await this.options.store.completeJob(job.id, job.leaseToken);
        break;
      case "postpone":
        kept = await this.options.store.rescheduleJob(job.id, job.leaseToken, {
          runAt: outcome.until.toISOString(),
        });
        break;
      case "retry": {
        const delayMs = Math.max(backoffDelayMs(job.attempts + 1, this.backoff), outcome.retryAfterMs ?? 0);
        const runAt = new Date(this.now().getTime() + Math.min(delayMs, this.backoff.capMs)).toISOString();
        log().info({ error: outcome.error, runAt }, "jobs: will retry");
        kept = await this.options.store.rescheduleJob(job.id, job.leaseToken, {
          runAt,
          error: outcome.error,
        });
        break;
      }
    }
    if (!kept) log().warn("jobs: the lease lapsed before the job finished; another worker has it");
  }
}
