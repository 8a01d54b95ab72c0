/** One lookup per turn of the event loop for the keys asked for in it (lookupsPerTurn.ts). */
import assert from "node:assert/strict";
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, it } from "node:test";
import { lookupsPerTurn, readOncePerTurn } from "../../src/store/lookupsPerTurn.js";

interface Row {
  token: string;
  id: number;
}

describe("lookups per turn", () => {
  const table: Row[] = [
    { token: "a", id: 1 },
    { token: "b", id: 2 },
    { token: "c", id: 3 },
  ];

  function counted() {
    const batches: string[][] = [];
    const find = lookupsPerTurn<string, Row>(
      async (tokens) => {
        batches.push(tokens);
        return table.filter((row) => tokens.includes(row.token));
      },
      (row) => row.token,
    );
    return { find, batches };
  }

  it("answers the keys of one turn with one lookup, each key once, and each caller its own row", async () => {
    const { find, batches } = counted();
    const answers = await Promise.all([find("a"), find("missing"), find("c"), find("a")]);
    assert.deepEqual(answers, [table[0], undefined, table[2], table[0]]);
    assert.deepEqual(batches, [["a", "missing", "c"]]);
  });

  it("starts a new lookup for the keys of a later turn", async () => {
    const { find, batches } = counted();
    const first = find("a");
    await nextTurn();
    const second = find("b");
    assert.deepEqual(await Promise.all([first, second]), [table[0], table[1]]);
    assert.deepEqual(batches, [["a"], ["b"]]);
  });

  it("rejects every caller of a turn whose lookup failed, and recovers on the next", async () => {
    let fail = true;
    const find = lookupsPerTurn<string, Row>(
      async (tokens) => {
        if (fail) throw new Error("the database is gone");
        return table.filter((row) => tokens.includes(row.token));
      },
      (row) => row.token,
    );
    const results = await Promise.allSettled([find("a"), find("b")]);
    assert.deepEqual(
      results.map((result) => result.status),
      ["rejected", "rejected"],
    );
    fail = false;
    assert.deepEqual(await find("b"), table[1]);
  });
});

describe("a read once per turn", () => {
  it("gives the callers of one turn one read's result, and reads again for a later turn", async () => {
    let value = 1;
    let reads = 0;
    const read = readOncePerTurn(async () => {
      reads += 1;
      return value;
    });
    assert.deepEqual(await Promise.all([read(), read(), read()]), [1, 1, 1]);
    assert.equal(reads, 1);
    value = 2;
    assert.equal(await read(), 2, "a caller after a write sees it");
    assert.equal(reads, 2);
  });

  it("does not join a read already started: a caller asking during it gets a read of its own", async () => {
    let value = 1;
    let release!: () => void;
    const reads: number[] = [];
    const read = readOncePerTurn(async () => {
      const seen = value;
      reads.push(seen);
      if (reads.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return seen;
    });
    const first = read();
    await nextTurn();
    await nextTurn();
    value = 2;
    const second = read();
    release();
    assert.deepEqual(await Promise.all([first, second]), [1, 2]);
  });

  it("rejects the callers of a failed read and reads again for the next", async () => {
    let fail = true;
    const read = readOncePerTurn(async () => {
      if (fail) throw new Error("the database is gone");
      return "agents";
    });
    const results = await Promise.allSettled([read(), read()]);
    assert.deepEqual(
      results.map((result) => result.status),
      ["rejected", "rejected"],
    );
    fail = false;
    assert.equal(await read(), "agents");
  });
});
