/**
 * Joins a subscription's catch-up (messages read from the store) with its live stream without
 * losing or doubling a message. The live stream is subscribed first and held here while the
 * store is read; then the catch-up is sent, the held events follow, and a live copy of a message
 * the catch-up already carried is dropped (a message committed just before the read can be
 * published just after it). After a broker gap the same dance runs again from the highest id
 * delivered (`resync`).
 */
import type { Publication } from "../broker/broker.js";

/** Enough to cover the messages whose publish trails their commit; memory stays small per socket. */
const RECENT_IDS = 64;

export interface MissedMessage {
  id: number;
  /** The frame's `message` payload, serialised. */
  json: string;
}

export class CatchUpGate {
  private held: Publication[] | undefined = [];
  /** Recently delivered message ids, oldest first (a Set keeps insertion order). */
  private recent: Set<number> | undefined;
  private highestId = 0;

  constructor(
    private readonly deliver: (json: string) => void,
    private readonly messageIdOf: (publication: Publication) => number | undefined,
    /** How many recent ids to remember; agents, who hear every message, need a longer memory. */
    private readonly recentIds = RECENT_IDS,
  ) {}

  /** The broker listener. */
  readonly live = (publication: Publication): void => {
    if (this.held !== undefined) this.held.push(publication);
    else this.pass(this.messageIdOf(publication), publication.json);
  };

  /** The highest message id this subscription has delivered (or caught up to). */
  get lastId(): number {
    return this.highestId;
  }

  /** Records ids a catch-up delivered in one frame (a `history`). */
  caughtUp(ids: Iterable<number>): void {
    for (const id of ids) this.remember(id);
  }

  /** Catch-up is sent: release what was held, then deliver live. */
  open(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const publication of held) this.pass(this.messageIdOf(publication), publication.json);
  }

  /** After a broker gap: hold live events, deliver what the store has after `lastId`, release. */
  async resync(readMissed: (afterId: number) => AsyncIterable<MissedMessage>): Promise<void> {
    if (this.held !== undefined) return; // a catch-up is already running
    this.held = [];
    try {
      for await (const missed of readMissed(this.highestId)) this.pass(missed.id, missed.json);
    } finally {
      this.open();
    }
  }

  close(): void {
    this.held = undefined;
    this.recent = undefined;
  }

  private pass(id: number | undefined, json: string): void {
    if (id !== undefined) {
      if (this.recent?.has(id)) return;
      this.remember(id);
    }
    this.deliver(json);
  }

  private remember(id: number): void {
    this.recent ??= new Set();
    this.recent.add(id);
    if (this.recent.size > this.recentIds) this.recent.delete(this.recent.values().next().value as number);
    if (id > this.highestId) this.highestId = id;
  }
}
