/**
 * Every committed message must be published once, even when the process that committed it cannot
 * publish it. Each process reads the tail of the messages table a few times a second and
 * publishes what nobody was seen publishing:
 * - without Redis (two processes on one SQLite file: the minute of a deploy swap), each process
 *   has its own in-process broker, so it publishes at once what it did not publish itself;
 * - with Redis, a node killed between its commit and its publish leaves a message nobody will
 *   publish; every node watches the agents' stream (which carries every message) and publishes
 *   what it has not seen there after a grace period. Several nodes may then publish the same
 *   message: receivers drop ids they already hold (protocol §6).
 *
 * A message this process commits can be seen here just before its own publish; both copies go
 * out and receivers drop the second by id, so the race costs a frame, not a loss.
 */
import type { Logger } from "pino";
import type { Store } from "../store/store.js";
import type { Attachments } from "./attachments.js";
import type { ChatEvents } from "./events.js";

const POLL_MS = 250;
const PAGE = 500;
/** Ids seen published recently; the tail skips them. Bounded: several seconds of traffic. */
const SEEN_IDS_KEPT = 20_000;

export class SharedStoreTail {
  private lastId = 0;
  private readonly seen = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly attachments: Attachments,
    private readonly events: ChatEvents,
    private readonly logger: Logger,
    /** How old an unseen message must be before this process publishes it (0: at once). */
    private readonly graceMs: number,
  ) {}

  /** Called for every message this process publishes, or sees published by another. */
  readonly noteSeen = (id: number): void => {
    this.seen.add(id);
    if (this.seen.size > SEEN_IDS_KEPT) this.seen.delete(this.seen.values().next().value as number);
  };

  async start(): Promise<void> {
    this.lastId = await this.store.latestMessageId();
    this.timer = setInterval(() => {
      if (this.running !== undefined) return;
      this.read().catch((error: unknown) => this.logger.warn({ err: error }, "shared store tail failed"));
    }, POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Publishes what other processes committed since the last read (after any read under way). */
  async read(): Promise<void> {
    while (this.running !== undefined) await this.running.catch(() => undefined);
    this.running = this.readOnce();
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }

  private async readOnce(): Promise<void> {
    for (;;) {
      const rows = await this.store.listMessagesSince(this.lastId, PAGE);
      const youngest = new Date(Date.now() - this.graceMs).toISOString();
      for (const row of rows) {
        // Too young to tell whether its own node will publish it: look again next time.
        if (this.graceMs > 0 && row.createdAt > youngest && !this.seen.has(row.id)) return;
        this.lastId = row.id;
        if (this.seen.delete(row.id)) continue;
        const conversation = await this.store.getConversation(row.conversationId);
        if (conversation === undefined) continue;
        const [message] = await this.attachments.toWireMessages([row]);
        if (message !== undefined) await this.events.wireMessagePosted(conversation, message);
      }
      if (rows.length < PAGE) return;
    }
  }
}
