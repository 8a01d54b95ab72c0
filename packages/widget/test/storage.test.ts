import assert from "node:assert/strict";
import { test } from "node:test";
import { createStorage, KEYS } from "../src/storage.js";

class MapStorage implements Storage {
  readonly map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
}

test("values persist in the browser's storage when it works", () => {
  const backing = new MapStorage();
  createStorage(() => backing).set("k", "v");
  assert.equal(backing.getItem("k"), "v");
  assert.equal(createStorage(() => backing).get("k"), "v", "a new page reads it back");
});

test("blocked storage falls back to memory instead of throwing", () => {
  const blocked = createStorage(() => {
    throw new DOMException("The operation is insecure.", "SecurityError");
  });
  assert.equal(blocked.get("k"), null);
  blocked.set("k", "v");
  assert.equal(blocked.get("k"), "v");
});

test("a full quota keeps the value in memory", () => {
  const full = new MapStorage();
  full.setItem = () => {
    throw new DOMException("full", "QuotaExceededError");
  };
  const storage = createStorage(() => full);
  storage.set("k", "v");
  assert.equal(storage.get("k"), "v");
});

test("with a site, what is kept is the site's; without one, the keys of before sites", () => {
  const backing = new MapStorage();
  const shop = createStorage(() => backing, "shop-site-1");
  const help = createStorage(() => backing, "help-site-1");
  const before = createStorage(() => backing);
  shop.set(KEYS.token, "shop-token");
  shop.set(KEYS.seenId, "7");
  shop.set(KEYS.name, "Ada");
  assert.equal(help.get(KEYS.token), null);
  assert.equal(help.get(KEYS.seenId), null);
  assert.equal(help.get(KEYS.name), null);
  assert.equal(shop.get(KEYS.name), "Ada");
  assert.equal(before.get(KEYS.token), null, "the default site keeps the keys of before sites");
  assert.equal(backing.getItem("parley.token.shop-site-1"), "shop-token");
});
