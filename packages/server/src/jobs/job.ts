/**
 * What a job kind provides to the worker: how to run one job and how often it may fail. Handlers
 * are looked up by the job's `kind`; each parses its own JSON payload.
 */
import type { ClaimedJob } from "../store/store.js";

export type JobOutcome =
  /** Finished (delivered, or nothing left to do): the job is removed. */
  | { kind: "done" }
  /** Failed in a way worth retrying: run again after the backoff, or `retryAfterMs` if longer. */
  | { kind: "retry"; error: string; retryAfterMs?: number }
  /** Not yet: run again at `until`, without counting an attempt. */
  | { kind: "postpone"; until: Date };

export interface JobHandler {
  /** Failed runs allowed before the job is given up (logged and removed). */
  readonly maxAttempts: number;
  /** A thrown error counts as a `retry` outcome (network failures throw). */
  run(job: ClaimedJob): Promise<JobOutcome>;
}

export type JobHandlers = ReadonlyMap<string, JobHandler>;
