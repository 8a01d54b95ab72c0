/**
 * CachedRead (store/queries/cachedRead.ts): the push-subscribed agents are read once per TTL, a
 * change this process makes is seen at once, and a read that raced a change is not kept.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CachedRead } from "../../src/store/queries/cachedRead.js";

describe("CachedRead", () => {
  it("reads once per TTL on the clock it is given, and again after forget()", async () => {
    let clock = 0;
    let reads = 0;
    const cached = new CachedRead(
      async () => ++reads,
      5000,
      () => clock,
    );
    assert.equal(await cached.get(), 1);
    clock = 4999;
    assert.equal(await cached.get(), 1);
    clock = 5000;
    assert.equal(await cached.get(), 2);
    cached.forget();
    assert.equal(await cached.get(), 3);
  });

  it("shares one read between callers who miss together", async () => {
    let reads = 0;
    const cached = new CachedRead(
      async () => ++reads,
      5000,
      () => 0,
    );
    assert.deepEqual(await Promise.all([cached.get(), cached.get(), cached.get()]), [1, 1, 1]);
    assert.equal(reads, 1);
  });

  it("does not keep an answer read before a change that finished meanwhile", async () => {
    let value = "old";
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const cached = new CachedRead(
      async () => {
        const seen = value;
        if (first) {
          first = false;
          await gate;
        }
        return seen;
      },
      5000,
      () => 0,
    );
    const racing = cached.get();
    value = "new";
    cached.forget();
    release();
    assert.equal(await racing, "old", "the caller who asked before the change may hear the old answer");
    assert.equal(await cached.get(), "new");
  });

  it("does not keep a failed read", async () => {
    let fail = true;
    const cached = new CachedRead(
      async () => {
        if (fail) throw new Error("database away");
        return 7;
      },
      5000,
      () => 0,
    );
    await assert.rejects(cached.get(), /database away/);
    fail = false;
    assert.equal(await cached.get(), 7);
  });
});
