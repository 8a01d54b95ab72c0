/**
 * The ids most recently added, at most `capacity` of them: adding one more forgets the oldest.
 * How large each window must be, and why, is in exactlyOnce.ts.
 */
export class RecentIds {
  /** A Set keeps insertion order, so its first entry is the oldest. */
  private readonly ids = new Set<number>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.ids.size;
  }

  has(id: number): boolean {
    return this.ids.has(id);
  }

  add(id: number): void {
    this.ids.add(id);
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as number);
  }

  /** True when `id` was held (and is now forgotten). */
  delete(id: number): boolean {
    return this.ids.delete(id);
  }
}
