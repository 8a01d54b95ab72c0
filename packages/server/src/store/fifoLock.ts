/**
 * One holder at a time, handed to waiters in the order they came, each woken once. Kysely's own
 * lock for one-connection dialects wakes every waiter on each release and all but one go back
 * to waiting, so n queries in line cost n²/2 wake-ups: 15,000 at once (a restart's reconnects,
 * or its disconnects) held the event loop for tens of seconds (docs/reliability.md, "Restart storm").
 */
export class FifoLock {
  private held = false;
  private waiting: (() => void)[] = [];
  /** Index of the next waiter in `waiting`: shifting a long array at each release costs its length. */
  private head = 0;

  /** True from an `acquire()` that got the lock until the `release()` that leaves no one waiting. */
  get isHeld(): boolean {
    return this.held;
  }

  /** Resolves when the lock is the caller's; `release()` once done. */
  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting[this.head];
    if (next === undefined) {
      this.held = false;
      this.waiting = [];
      this.head = 0;
      return;
    }
    this.waiting[this.head++] = undefined as never;
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    next();
  }
}
