/**
 * Which of a webhook's pending deliveries a claim may take, chosen while reading them in id order
 * (SQLite's claim, store/queries/webhooks.ts). The rule is the one Postgres's claim asks in SQL
 * (`sendable` there): a delivery goes when it is due, unclaimed, and the first pending one of its
 * line, the line being its conversation, or for an event about no conversation its contact. A
 * delivery about neither (stored before migration 018) is a line of its own.
 *
 * Read in id order, "the first pending one of its line" is "no pending one of its line was read
 * before it", so one set of the lines seen answers what SQL asked with two `not exists` lookups
 * per row: a claim of about thirty deliveries read that way cost about 350 µs on SQLite in the
 * bench's chat (docs/benchmarks.md, twenty-fifth pass).
 */

/** What choosing needs of a pending delivery: no payload, none of the log's columns. */
export interface PendingDelivery {
  id: number;
  conversation_id: number | null;
  contact_id: number | null;
  next_attempt_at: string | null;
  locked_until: string | null;
}

export class SendableDeliveries {
  /** The ids chosen, in the order read (id order). */
  readonly ids: number[] = [];
  /** Lines with a pending delivery read already: a later one of theirs waits for it. */
  private readonly conversations = new Set<number>();
  private readonly contacts = new Set<number>();

  /**
   * `now`: an ISO time, compared as text with the stored ones as SQL compares them (both are
   * `toISOString()`'s). `limit`: how many a claim takes.
   */
  constructor(
    private readonly now: string,
    private readonly limit: number,
  ) {}

  get full(): boolean {
    return this.ids.length >= this.limit;
  }

  /** The next pending delivery in id order; chosen when it may go now. */
  read(row: PendingDelivery): void {
    if (this.full) return;
    if (!this.firstOfItsLine(row)) return;
    const due = row.next_attempt_at === null || row.next_attempt_at <= this.now;
    const unclaimed = row.locked_until === null || row.locked_until < this.now;
    if (due && unclaimed) this.ids.push(row.id);
  }

  /** Whether no earlier pending delivery of its line was read; from now on one was. */
  private firstOfItsLine(row: PendingDelivery): boolean {
    if (row.conversation_id !== null) return firstSeen(this.conversations, row.conversation_id);
    if (row.contact_id !== null) return firstSeen(this.contacts, row.contact_id);
    return true;
  }
}

function firstSeen(seen: Set<number>, key: number): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}
