/**
 * A read whose answer rarely changes, kept for a short while. The store forgets it whenever it
 * makes a change that affects it; changes made by another process (a second node, the old
 * container during a deploy) are seen once the answer is older than `ttlMs`.
 */
import { performance } from "node:perf_hooks";

export class CachedRead<T> {
  private value: { data: T; readAt: number } | undefined;
  /** A read in flight, shared by every caller who misses meanwhile. */
  private pending: Promise<T> | undefined;
  /** Bumped by forget(): a read that started before a change must not be kept after it. */
  private generation = 0;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly ttlMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get(): Promise<T> {
    const cached = this.value;
    if (cached !== undefined && this.now() - cached.readAt < this.ttlMs) return Promise.resolve(cached.data);
    if (this.pending !== undefined) return this.pending;
    const generation = this.generation;
    const readAt = this.now();
    const pending = this.read().then(
      (data) => {
        if (generation === this.generation) {
          this.value = { data, readAt };
          this.pending = undefined;
        }
        return data;
      },
      (error: unknown) => {
        if (generation === this.generation) this.pending = undefined;
        throw error;
      },
    );
    this.pending = pending;
    return pending;
  }

  /** After a change this process made: the next get() reads again. */
  forget(): void {
    this.generation++;
    this.value = undefined;
    this.pending = undefined;
  }
}
