/**
 * One subscription's join of its catch-up (messages read from the store) with its live stream,
 * without losing or doubling a message (exactlyOnce.ts, points 2 and 3). The live stream is
 * subscribed first and held here while the store is read; then the catch-up is sent, the gate
 * says it is done, the held events follow, and a live copy of a message already delivered is
 * dropped. After a broker gap the same dance runs again from the highest id delivered.
 */
import type { Publication } from "../broker/broker.js";
import { RecentIds } from "./recentIds.js";

export interface MissedMessage {
  id: number;
  /** The frame's `message` payload, serialised. */
  json: string;
}

export interface CatchUpGateOptions {
  /** Sends one serialised frame payload to the client. */
  deliver(json: string): void;
  /** The message id a publication carries, if it carries a message. */
  messageIdOf(publication: Publication): number | undefined;
  /** How many delivered ids to remember (exactlyOnce.ts says how many, and why). */
  window: number;
  /**
   * Told when a catch-up is complete, with the highest id the subscription now holds, before the
   * live events held during it are released (AdminChannel's `caught_up`).
   */
  caughtUp?(lastId: number): void;
}

export class CatchUpGate {
  private held: Publication[] | undefined = [];
  /** Made on the first delivered id: most sockets of a quiet site never need one. */
  private recent: RecentIds | undefined;
  private highestId = 0;
  private closed = false;
  /** Settles when the gate stops holding (opened, or closed). */
  private released: Promise<void>;
  private settleReleased!: () => void;

  constructor(private readonly options: CatchUpGateOptions) {
    this.released = new Promise((resolve) => (this.settleReleased = resolve));
  }

  /** The broker listener. */
  readonly live = (publication: Publication): void => {
    if (this.closed) return;
    if (this.held !== undefined) this.held.push(publication);
    else this.pass(this.options.messageIdOf(publication), publication.json);
  };

  /** The highest message id this subscription has delivered or caught up to. */
  get lastId(): number {
    return this.highestId;
  }

  /**
   * The subscription already holds everything up to `id`: its `since`, or with none, the newest
   * id in the store when live was subscribed. A later gap re-reads from here, not from zero.
   */
  startAt(id: number): void {
    if (id > this.highestId) this.highestId = id;
  }

  /** Records ids a catch-up sent itself, in one frame (a visitor's `history`). */
  record(ids: Iterable<number>): void {
    for (const id of ids) this.remember(id);
  }

  /** Sends one message of a catch-up (an agent's `new_message` after `since`). */
  replay(missed: MissedMessage): void {
    if (!this.closed) this.pass(missed.id, missed.json);
  }

  /** The catch-up is sent: say so, release what was held, then deliver live. */
  open(): void {
    if (this.closed || this.held === undefined) return;
    this.options.caughtUp?.(this.highestId);
    this.release();
  }

  /** After a broker gap: hold live events, deliver what the store has after `lastId`, open again. */
  async resync(readMissed: (afterId: number) => AsyncIterable<MissedMessage>): Promise<void> {
    // During a catch-up the store may have been read before the gap: read again once it is done.
    if (this.held !== undefined) await this.released;
    if (this.closed || this.held !== undefined) return; // closed, or another resync took it
    this.held = [];
    this.released = new Promise((resolve) => (this.settleReleased = resolve));
    try {
      for await (const missed of readMissed(this.highestId)) this.replay(missed);
    } catch (error) {
      // Not caught up: live goes on without the rest, which the client gets back with `since`.
      this.release();
      throw error;
    }
    this.open();
  }

  close(): void {
    this.closed = true;
    this.held = undefined;
    this.recent = undefined;
    this.settleReleased();
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    this.settleReleased();
    for (const publication of held) {
      if (this.closed) return;
      this.pass(this.options.messageIdOf(publication), publication.json);
    }
  }

  private pass(id: number | undefined, json: string): void {
    if (id !== undefined) {
      if (this.recent?.has(id)) return;
      this.remember(id);
    }
    this.options.deliver(json);
  }

  private remember(id: number): void {
    this.recent ??= new RecentIds(this.options.window);
    this.recent.add(id);
    if (id > this.highestId) this.highestId = id;
  }
}
