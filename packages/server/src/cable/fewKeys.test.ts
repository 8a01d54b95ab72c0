/** FewKeys (fewKeys.ts) answers as a Map would, with one entry or with several. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { FewKeys } from "./fewKeys.js";

describe("a map of few keys", () => {
  it("holds one entry, replaces its value, and forgets it", () => {
    const map = new FewKeys<string, number>();
    assert.equal(map.size, 0);
    assert.equal(map.get("a"), undefined);
    map.set("a", 1);
    map.set("a", 2);
    assert.equal(map.size, 1);
    assert.equal(map.get("a"), 2);
    assert.equal(map.has("a"), true);
    assert.equal(map.has("b"), false);
    map.delete("b");
    assert.deepEqual(map.values(), [2]);
    map.delete("a");
    assert.equal(map.size, 0);
    assert.equal(map.has("a"), false);
    assert.deepEqual(map.values(), []);
  });

  it("keeps several in the order they were first set, as a Map does", () => {
    const map = new FewKeys<string, number>();
    const reference = new Map<string, number>();
    const both = (action: (m: FewKeys<string, number> | Map<string, number>) => void) => {
      action(map);
      action(reference);
      assert.equal(map.size, reference.size);
      assert.deepEqual(map.values(), [...reference.values()]);
      for (const key of ["a", "b", "c", "d"]) {
        assert.equal(map.get(key), reference.get(key), key);
        assert.equal(map.has(key), reference.has(key), key);
      }
    };
    both((m) => m.set("a", 1));
    both((m) => m.set("b", 2));
    both((m) => m.set("c", 3));
    both((m) => m.set("a", 4));
    both((m) => m.delete("b"));
    both((m) => m.delete("a"));
    both((m) => m.set("d", 5));
    both((m) => m.clear());
    both((m) => m.set("b", 6));
  });

  it("gives its values as a copy, so they can be removed while gone through", () => {
    const map = new FewKeys<string, number>();
    map.set("a", 1);
    map.set("b", 2);
    const seen: number[] = [];
    for (const value of map.values()) {
      seen.push(value);
      map.delete(value === 1 ? "a" : "b");
    }
    assert.deepEqual(seen, [1, 2]);
    assert.equal(map.size, 0);
  });
});
