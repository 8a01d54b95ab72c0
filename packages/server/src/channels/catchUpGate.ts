/**
 * Joins a subscription's catch-up (history read from the store) with its live stream without
 * losing or doubling a message. The live stream is subscribed first and held here while the
 * store is read; then the history is sent, the held events follow, and any live copy of a
 * message the history already carried is dropped (a message committed just before the read
 * can be published just after it).
 */
import type { Publication } from "../broker/broker.js";

/** How long live copies of caught-up messages are watched for; publishes trail commits by far less. */
const OVERLAP_WATCH_MS = 10_000;

export class CatchUpGate {
  private held: Publication[] | undefined = [];
  private caughtUpIds = new Set<number>();
  private forgetTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deliver: (publication: Publication) => void,
    private readonly messageIdOf: (publication: Publication) => number | undefined,
  ) {}

  /** The broker listener. */
  readonly live = (publication: Publication): void => {
    if (this.held !== undefined) this.held.push(publication);
    else this.pass(publication);
  };

  /** Records ids the catch-up delivered. */
  caughtUp(ids: Iterable<number>): void {
    for (const id of ids) this.caughtUpIds.add(id);
  }

  /** Catch-up is sent: release what was held, then deliver live. */
  open(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const publication of held) this.pass(publication);
    if (this.caughtUpIds.size > 0) {
      this.forgetTimer = setTimeout(() => this.caughtUpIds.clear(), OVERLAP_WATCH_MS);
      this.forgetTimer.unref();
    }
  }

  close(): void {
    clearTimeout(this.forgetTimer);
    this.held = undefined;
    this.caughtUpIds.clear();
  }

  private pass(publication: Publication): void {
    const id = this.messageIdOf(publication);
    if (id !== undefined && this.caughtUpIds.has(id)) return;
    this.deliver(publication);
  }
}
