/**
 * (§15) One subscription's `view_counts`: sent on subscribe, then again after changes that can
 * move them (a conversation updated, deleted or written to by a visitor, a site's team changed),
 * at most about once a second, and only when they differ from what was last sent.
 */
import type { Logger } from "pino";
import type { AdminEvent, ViewCounts } from "@parley/protocol";

export const VIEW_COUNTS_COALESCE_MS = 1000;

/** Whether an event on the agents' stream may change someone's counts. */
export function movesViewCounts(event: AdminEvent | { type: string }): boolean {
  switch (event.type) {
    case "conversation_updated":
    case "conversation_deleted":
    case "site_updated":
      return true;
    case "new_message":
      // A visitor's message starts a conversation or reopens one; an agent's changes none.
      return "message" in event && event.message.sender === "visitor";
    default:
      return false;
  }
}

export class ViewCountsFeed {
  private timer: NodeJS.Timeout | undefined;
  private last: string | undefined;
  private closed = false;

  constructor(
    private readonly count: () => Promise<ViewCounts>,
    private readonly transmit: (event: AdminEvent) => void,
    private readonly logger: Logger,
  ) {}

  /** Counts and sends now (on subscribe). */
  async sendNow(): Promise<void> {
    const counts = await this.count();
    this.send(counts);
  }

  /** Something changed: counts again within a second, once for every change until then. */
  changed(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.count()
        .then((counts) => this.send(counts))
        .catch((error: unknown) => this.logger.error({ err: error }, "view counts failed"));
    }, VIEW_COUNTS_COALESCE_MS);
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private send(counts: ViewCounts): void {
    if (this.closed) return;
    const key = `${counts.mine}/${counts.unassigned}/${counts.all}`;
    if (key === this.last) return;
    this.last = key;
    this.transmit({ type: "view_counts", counts });
  }
}
