/**
 * Every committed message must be published once, even when the process that committed it
 * cannot publish it (exactlyOnce.ts, point 4). This reads the tail of the messages table every
 * TAIL_POLL_MS and publishes what nobody was seen publishing: at once without Redis (grace 0),
 * after a grace period in a cluster.
 */
import type { Logger } from "pino";
import type { Store, StoredMessage } from "../store/store.js";
import { RecentIds } from "./recentIds.js";
import { TAIL_PAGE, TAIL_POLL_MS, TAIL_SEEN_IDS } from "./exactlyOnce.js";

export interface SharedStoreTailOptions {
  store: Pick<Store, "latestMessageId" | "listMessagesSince">;
  /** Publishes a committed message as the process that committed it would have (chat/). */
  publish(row: StoredMessage): Promise<void>;
  logger: Logger;
  /** How old an unseen message must be before this process publishes it (0: at once). */
  graceMs: number;
  /** Milliseconds since the epoch; message times are compared with it. */
  now?: () => number;
  pollMs?: number;
  pageSize?: number;
  seenIds?: number;
}

export class SharedStoreTail {
  private lastId = 0;
  private readonly seen: RecentIds;
  private readonly now: () => number;
  private readonly pageSize: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Until start() reads where the store stands, a read would republish the whole table. */
  private started = false;

  constructor(private readonly options: SharedStoreTailOptions) {
    this.seen = new RecentIds(options.seenIds ?? TAIL_SEEN_IDS);
    this.now = options.now ?? Date.now;
    this.pageSize = options.pageSize ?? TAIL_PAGE;
  }

  /** For every message this process publishes, or sees published by another. */
  readonly noteSeen = (id: number): void => {
    // The tail never reads at or below where it stands: such an id would only take room.
    if (id > this.lastId) this.seen.add(id);
  };

  /** Starts below the first message this process could miss; call before taking clients. */
  async start(): Promise<void> {
    this.lastId = await this.options.store.latestMessageId();
    this.started = true;
    this.timer = setInterval(() => {
      if (this.running !== undefined) return;
      this.read().catch((error: unknown) =>
        this.options.logger.warn({ err: error }, "shared store tail failed"),
      );
    }, this.options.pollMs ?? TAIL_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Publishes what was committed since the last read (after any read under way); none before start(). */
  async read(): Promise<void> {
    if (!this.started) return;
    while (this.running !== undefined) await this.running.catch(() => undefined);
    this.running = this.readOnce();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async readOnce(): Promise<void> {
    const { graceMs } = this.options;
    for (;;) {
      const rows = await this.options.store.listMessagesSince(this.lastId, this.pageSize);
      const youngest = this.now() - graceMs;
      for (const row of rows) {
        // Too young to tell whether its own process will publish it: look again next time.
        if (graceMs > 0 && !this.seen.has(row.id) && Date.parse(row.createdAt) > youngest) return;
        this.lastId = row.id;
        if (this.seen.delete(row.id)) continue;
        await this.options.publish(row);
      }
      if (rows.length < this.pageSize) return;
    }
  }
}
