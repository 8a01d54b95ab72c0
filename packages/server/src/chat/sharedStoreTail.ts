/**
 * Two processes on one SQLite file: the minute of a deploy swap, when the new container serves
 * while the old one still does. Each has its own in-process broker, so a message one of them
 * commits would never reach the other's subscribers. Each process therefore reads the tail of the
 * messages table a few times a second and publishes on its own broker what it did not publish
 * itself. With REDIS_URL the broker spans processes and this is not started.
 *
 * A message this process commits can be seen here just before its own publish; both copies go
 * out and receivers drop the second by id (protocol §6), so the race costs a frame, not a loss.
 */
import type { Logger } from "pino";
import type { Store } from "../store/store.js";
import type { Attachments } from "./attachments.js";
import type { ChatEvents } from "./events.js";

const POLL_MS = 250;
const PAGE = 500;
/** Ids published here recently; the tail skips them. Bounded: a few seconds of traffic. */
const OWN_IDS_KEPT = 10_000;

export class SharedStoreTail {
  private lastId = 0;
  private readonly own = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly attachments: Attachments,
    private readonly events: ChatEvents,
    private readonly logger: Logger,
  ) {}

  /** Called for every message this process publishes. */
  readonly notePublished = (id: number): void => {
    this.own.add(id);
    if (this.own.size > OWN_IDS_KEPT) this.own.delete(this.own.values().next().value as number);
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
      for (const row of rows) {
        this.lastId = row.id;
        if (this.own.delete(row.id)) continue;
        const conversation = await this.store.getConversation(row.conversationId);
        if (conversation === undefined) continue;
        const [message] = await this.attachments.toWireMessages([row]);
        if (message !== undefined) await this.events.wireMessagePosted(conversation, message);
      }
      if (rows.length < PAGE) return;
    }
  }
}
