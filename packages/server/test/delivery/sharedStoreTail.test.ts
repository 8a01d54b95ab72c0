/**
 * SharedStoreTail without a server: an in-memory messages table stands in for the store (the
 * real engines run their own suites), and the clock is injected, so a grace period is a number.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it, mock } from "node:test";
import pino from "pino";
import { CLUSTER_TAIL_GRACE_MS, TAIL_PAGE, TAIL_POLL_MS } from "../../src/delivery/exactlyOnce.js";
import { SharedStoreTail, type SharedStoreTailOptions } from "../../src/delivery/sharedStoreTail.js";
import type { StoredMessage } from "../../src/store/store.js";

const T0 = Date.parse("2026-03-01T12:00:00.000Z");

/** The two reads the tail makes, over an array; each answer comes a tick later, as a database's. */
class MessagesTable {
  readonly rows: StoredMessage[] = [];
  reads = 0;

  commit(id: number, atMs: number): void {
    this.rows.push({
      id,
      conversationId: 1,
      sender: "visitor",
      content: `m${id}`,
      createdAt: new Date(atMs).toISOString(),
      clientId: null,
      agentId: null,
      agentName: null,
    });
  }

  async latestMessageId(): Promise<number> {
    await Promise.resolve();
    return Math.max(0, ...this.rows.map((row) => row.id));
  }

  async listMessagesSince(afterId: number, limit: number): Promise<StoredMessage[]> {
    this.reads++;
    await Promise.resolve();
    return this.rows
      .filter((row) => row.id > afterId)
      .sort((a, b) => a.id - b.id)
      .slice(0, limit);
  }
}

function tail(graceMs: number, options: Partial<SharedStoreTailOptions> = {}) {
  const table = new MessagesTable();
  const published: number[] = [];
  const clock = { nowMs: T0 };
  const t = new SharedStoreTail({
    store: table,
    publish: async (row) => {
      await Promise.resolve();
      published.push(row.id);
    },
    logger: pino({ level: "silent" }),
    graceMs,
    now: () => clock.nowMs,
    ...options,
  });
  return { tail: t, table, published, clock };
}

describe("SharedStoreTail", () => {
  afterEach(() => mock.timers.reset());

  it("starts past what the store already holds", async () => {
    const { tail: t, table, published } = tail(0);
    table.commit(1, T0);
    table.commit(2, T0);
    await t.start();
    t.stop();
    table.commit(3, T0);
    await t.read();
    assert.deepEqual(published, [3]);
  });

  it("reads nothing before it knows where the store stands (a boot that failed before start)", async () => {
    const { tail: t, table, published } = tail(0);
    table.commit(1, T0);
    await t.read();
    assert.deepEqual(published, []);
    assert.equal(table.reads, 0);
  });

  it("publishes what this process did not publish, and skips what it did (no Redis: at once)", async () => {
    const { tail: t, table, published } = tail(0);
    await t.start();
    t.stop();
    for (const id of [1, 2, 3, 4]) table.commit(id, T0);
    t.noteSeen(2);
    t.noteSeen(4);
    await t.read();
    assert.deepEqual(published, [1, 3]);
    await t.read();
    assert.deepEqual(published, [1, 3], "a row is read once");
  });

  it("in a cluster, waits out the grace period before publishing what nobody was seen publishing", async () => {
    const { tail: t, table, published, clock } = tail(CLUSTER_TAIL_GRACE_MS);
    await t.start();
    t.stop();
    table.commit(1, T0);
    table.commit(2, T0 + 100); // seen on the agents' stream: skipped, however young
    table.commit(3, T0 + 200);
    t.noteSeen(2);
    clock.nowMs = T0 + CLUSTER_TAIL_GRACE_MS - 1;
    await t.read();
    assert.deepEqual(published, [], "1 is still young: its own node may publish it");
    clock.nowMs = T0 + CLUSTER_TAIL_GRACE_MS + 150;
    await t.read();
    assert.deepEqual(published, [1], "1 is old enough; 3 is not, and holds the tail there");
    t.noteSeen(3); // its node published it after all
    clock.nowMs = T0 + 10_000;
    await t.read();
    assert.deepEqual(published, [1]);
  });

  it("keeps its place behind a young row, so later rows wait their turn (id order)", async () => {
    const { tail: t, table, published, clock } = tail(CLUSTER_TAIL_GRACE_MS);
    await t.start();
    t.stop();
    table.commit(1, T0);
    table.commit(2, T0 + 1000);
    table.commit(3, T0 + 1000);
    clock.nowMs = T0 + CLUSTER_TAIL_GRACE_MS;
    await t.read();
    assert.deepEqual(published, [1]);
    clock.nowMs = T0 + 1000 + CLUSTER_TAIL_GRACE_MS + 1;
    await t.read();
    assert.deepEqual(published, [1, 2, 3]);
  });

  it("reads a backlog page after page, in id order", async () => {
    const { tail: t, table, published } = tail(0);
    await t.start();
    t.stop();
    const count = TAIL_PAGE * 2 + 34;
    // Committed out of order in the array: the store answers in id order all the same.
    for (let id = count; id >= 1; id--) table.commit(id, T0);
    table.reads = 0;
    await t.read();
    assert.equal(published.length, count);
    assert.deepEqual(
      published,
      Array.from({ length: count }, (_, i) => i + 1),
    );
    assert.equal(table.reads, 3, "three pages");
  });

  it("never runs two reads at once: a read asked for during one follows it", async () => {
    const { tail: t, table, published } = tail(0);
    await t.start();
    t.stop();
    for (const id of [1, 2, 3]) table.commit(id, T0);
    const first = t.read();
    const second = t.read();
    table.commit(4, T0);
    await Promise.all([first, second]);
    assert.deepEqual(published, [1, 2, 3, 4]);
  });

  it("remembers only ids above where it stands, so its window is not spent on the past", async () => {
    const { tail: t, table, published } = tail(0, { seenIds: 2 });
    await t.start();
    t.stop();
    for (const id of [1, 2]) table.commit(id, T0);
    await t.read();
    t.noteSeen(3);
    t.noteSeen(1); // already read past: takes no room
    t.noteSeen(2);
    table.commit(3, T0);
    await t.read();
    assert.deepEqual(published, [1, 2], "3 was still remembered as published");
  });

  it("reads every TAIL_POLL_MS once started, and no more once stopped", async () => {
    mock.timers.enable({ apis: ["setInterval"] });
    const { tail: t, table, published } = tail(0);
    await t.start();
    table.commit(1, T0);
    mock.timers.tick(TAIL_POLL_MS - 1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(published, []);
    mock.timers.tick(1);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(published, [1]);
    t.stop();
    table.commit(2, T0);
    mock.timers.tick(TAIL_POLL_MS * 4);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.deepEqual(published, [1]);
  });
});
