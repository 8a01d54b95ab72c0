/**
 * Group commit for appends. On Postgres every append holds the message-order lock (see
 * messages.ts) until its commit has reached the disk, so appends one transaction each are
 * limited to one WAL flush plus a few round trips at a time: about 400 messages a second on the
 * bench machine, past which they queue for seconds. Here appends that arrive while a
 * transaction is committing wait and then go together in the next one, under one lock and one
 * flush; on SQLite the same saves a commit per message. An idle server still commits each
 * message on its own, at once.
 *
 * SQLite's batch runs synchronously, so nothing ever arrives "while it commits": each socket's
 * message would be a transaction of its own, and a commit's WAL page writes cost more than the
 * append (about 160 µs of CPU for one append alone, 40 µs each in batches of 16, on the bench
 * machine). There the batch starts on `setImmediate` instead: after the event loop has read every
 * socket that was ready, so the messages of one turn commit together and none waits for a timer.
 *
 * Each append stays atomic (it commits or rolls back with its whole batch), ids still commit in
 * order, and each caller hears back only after the commit. When a batch fails, its appends are
 * retried one by one, so one bad append (e.g. its conversation was just deleted) fails alone.
 */

interface Waiting<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/** Enough to amortise a flush; small enough that one batch never holds the lock for long. */
const MAX_BATCH = 64;

export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private draining = false;

  constructor(
    /** Runs the appends in one transaction, returning their results in order. */
    private readonly runBatch: (inputs: I[]) => Promise<O[]>,
    /** When an idle queue starts its batch: at once, or later (setImmediate: after this turn's reads). */
    private readonly startBatch: (drain: () => void) => void = (drain) => drain(),
  ) {}

  add(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.draining) return;
      // Draining from here on: what is added before the batch starts joins it.
      this.draining = true;
      this.startBatch(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0, MAX_BATCH);
        try {
          const outputs = await this.runBatch(batch.map((waiting) => waiting.input));
          batch.forEach((waiting, i) => waiting.resolve(outputs[i]!));
        } catch (error) {
          if (batch.length === 1) batch[0]!.reject(error);
          else
            for (const waiting of batch)
              await this.runBatch([waiting.input]).then(
                ([output]) => waiting.resolve(output!),
                waiting.reject,
              );
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
