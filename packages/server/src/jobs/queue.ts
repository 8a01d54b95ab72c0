/**
 * The producer side of the job queue: jobs go into the store (so they survive a restart) and
 * `enqueued` says so, which wakes the local worker (server.ts) so it need not wait for its next
 * poll. Other nodes find them by polling.
 */
import { Signal } from "../signal.js";
import type { Store } from "../store/store.js";

export interface EnqueueOptions {
  /** Not before this time (default: now). */
  runAt?: Date;
  /** At most one pending job per key: a second enqueue while one waits adds nothing. */
  dedupeKey?: string;
}

export interface JobQueue {
  /** Resolves once the job is stored; false when it was collapsed into a pending one. */
  enqueue(kind: string, payload: unknown, options?: EnqueueOptions): Promise<boolean>;
}

/** Told of jobs a caller stored in a transaction of its own, with the rows they are about. */
export interface JobAnnouncer {
  /** Jobs of `kind` were stored here: wakes the local worker as enqueue does. */
  announce(kind: string): void;
}

export class StoreJobQueue implements JobQueue, JobAnnouncer {
  /** The kind of each job stored by this process (the local worker wakes on it). */
  readonly enqueued = new Signal<string>();

  constructor(
    private readonly store: Pick<Store, "enqueueJob">,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async enqueue(kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<boolean> {
    const now = this.now();
    const added = await this.store.enqueueJob({
      kind,
      payload: JSON.stringify(payload),
      runAt: (options.runAt ?? now).toISOString(),
      dedupeKey: options.dedupeKey ?? null,
      at: now.toISOString(),
    });
    if (added) this.enqueued.emit(kind);
    return added;
  }

  announce(kind: string): void {
    this.enqueued.emit(kind);
  }
}
