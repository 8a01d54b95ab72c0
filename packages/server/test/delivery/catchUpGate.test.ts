/**
 * CatchUpGate without a server: live events held while the store is read, the catch-up, then
 * the held events with repeats dropped by id; a resync after a broker gap; the id window.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { publication } from "../../src/broker/broker.js";
import { CatchUpGate, type MissedMessage } from "../../src/delivery/catchUpGate.js";

/** A message event as the agents' stream carries it; typing events carry no message id. */
const live = (id: number) =>
  publication({
    type: "new_message",
    conversation_id: 1,
    visitor_name: null,
    message: { id, sender: "visitor", content: `m${id}`, created_at: "2026-01-01T00:00:00.000Z" },
  });
const typing = () => publication({ type: "typing", conversation_id: 1, typing: true, sender: "visitor" });
const missed = (id: number): MissedMessage => ({ id, json: JSON.stringify({ replayed: id }) });

function gate(window = 64) {
  const frames: string[] = [];
  const caughtUp: number[] = [];
  const g = new CatchUpGate({
    deliver: (json) => frames.push(json),
    messageIdOf: ({ event }) => (event.type === "new_message" ? event.message.id : undefined),
    window,
    caughtUp: (lastId) => {
      caughtUp.push(lastId);
      frames.push(`caught_up ${lastId}`);
    },
  });
  /** What went out, as short names: `m5` live, `r5` replayed, `typing`, `caught_up 5`. */
  const seen = () =>
    frames.map((json) => {
      if (json.startsWith("caught_up")) return json;
      const value = JSON.parse(json) as { replayed?: number; message?: { id: number }; type?: string };
      if (value.replayed !== undefined) return `r${value.replayed}`;
      return value.message === undefined ? String(value.type) : `m${value.message.id}`;
    });
  return { gate: g, seen, caughtUp };
}

async function* from(messages: MissedMessage[], whileReading?: () => void): AsyncGenerator<MissedMessage> {
  for (const message of messages) {
    yield message;
    whileReading?.();
  }
}

describe("CatchUpGate", () => {
  it("holds live events during the catch-up and releases them after it, once each", () => {
    const { gate: g, seen } = gate();
    g.live(live(5)); // committed just before the store read: in the read and on the stream
    g.live(typing());
    g.live(live(7)); // committed after the read
    assert.deepEqual(seen(), [], "nothing goes out before the catch-up");
    g.startAt(3);
    g.replay(missed(4));
    g.replay(missed(5));
    g.open();
    assert.deepEqual(seen(), ["r4", "r5", "caught_up 5", "typing", "m7"]);
    g.live(live(8));
    g.live(live(7)); // a store tail's late copy
    assert.deepEqual(seen().slice(5), ["m8"]);
    assert.equal(g.lastId, 8);
  });

  it("says it caught up with `since` itself when nothing was missed", () => {
    const { gate: g, caughtUp } = gate();
    g.startAt(41);
    g.open();
    assert.deepEqual(caughtUp, [41]);
    assert.equal(g.lastId, 41);
  });

  it("records ids a catch-up sent in one frame, and drops their live copies", () => {
    const { gate: g, seen, caughtUp } = gate();
    g.live(live(2));
    g.record([1, 2]); // a visitor's `history`
    g.open();
    g.live(live(3));
    assert.deepEqual(seen(), ["caught_up 2", "m3"]);
    assert.deepEqual(caughtUp, [2]);
  });

  it("after a gap, re-reads from the highest id delivered, holding live meanwhile", async () => {
    const { gate: g, seen } = gate();
    g.startAt(10);
    g.open();
    g.live(live(11));
    const askedFrom: number[] = [];
    await g.resync((afterId) => {
      askedFrom.push(afterId);
      // Live resumes while the store is read: 13 comes both ways, 14 only live.
      return from([missed(12), missed(13)], () => {
        g.live(live(13));
        g.live(live(14));
      });
    });
    assert.deepEqual(askedFrom, [11]);
    assert.deepEqual(seen(), ["caught_up 10", "m11", "r12", "r13", "caught_up 13", "m14"]);
  });

  it("re-reads after a catch-up that a gap interrupted, not from zero", async () => {
    const { gate: g, seen } = gate();
    g.startAt(20);
    const askedFrom: number[] = [];
    const resynced = g.resync((afterId) => {
      askedFrom.push(afterId);
      return from([missed(21)]);
    });
    assert.deepEqual(askedFrom, [], "not while the first catch-up runs");
    g.open();
    await resynced;
    assert.deepEqual(askedFrom, [20]);
    assert.deepEqual(seen(), ["caught_up 20", "r21", "caught_up 21"]);
  });

  it("goes live without a caught_up when the re-read fails", async () => {
    const { gate: g, seen } = gate();
    g.open();
    await assert.rejects(
      g.resync(() => {
        g.live(live(6));
        return (async function* () {
          yield missed(5);
          throw new Error("store away");
        })();
      }),
      /store away/,
    );
    g.live(live(7));
    assert.deepEqual(seen(), ["caught_up 0", "r5", "m6", "m7"]);
  });

  it("remembers only its window of ids: an older repeat passes (receivers drop it)", () => {
    const { gate: g, seen } = gate(3);
    g.open();
    for (const id of [1, 2, 3, 4]) g.live(live(id)); // the window now holds 2, 3, 4
    g.live(live(1)); // forgotten, so it passes
    g.live(live(4)); // still held, so it is dropped
    assert.deepEqual(seen(), ["caught_up 0", "m1", "m2", "m3", "m4", "m1"]);
  });

  it("delivers nothing once closed", async () => {
    const { gate: g, seen } = gate();
    g.live(live(1));
    g.close();
    g.open();
    g.live(live(2));
    await g.resync(() => from([missed(3)]));
    assert.deepEqual(seen(), []);
  });
});
