/**
 * A map for what nearly always holds one entry: a connection's subscriptions (a visitor's socket
 * has one). The first entry is kept in two fields and a Map is made for a second; a Map for
 * one entry cost about 330 bytes (the Map and its table) per connected socket. Entries are in
 * the order they were first set, as in a Map.
 */
export class FewKeys<K, V> {
  private firstKey: K | undefined;
  private firstValue: V | undefined;
  private hasFirst = false;
  private more: Map<K, V> | undefined;

  get size(): number {
    return this.more?.size ?? (this.hasFirst ? 1 : 0);
  }

  get(key: K): V | undefined {
    if (this.more !== undefined) return this.more.get(key);
    return this.hasFirst && this.firstKey === key ? this.firstValue : undefined;
  }

  has(key: K): boolean {
    if (this.more !== undefined) return this.more.has(key);
    return this.hasFirst && this.firstKey === key;
  }

  set(key: K, value: V): void {
    if (this.more !== undefined) this.more.set(key, value);
    else if (!this.hasFirst || this.firstKey === key) {
      this.firstKey = key;
      this.firstValue = value;
      this.hasFirst = true;
    } else {
      this.more = new Map([
        [this.firstKey!, this.firstValue!],
        [key, value],
      ]);
      this.clearFirst();
    }
  }

  delete(key: K): void {
    if (this.more !== undefined) this.more.delete(key);
    else if (this.hasFirst && this.firstKey === key) this.clearFirst();
  }

  /** The values, in order (a copy: the caller may change the map while it goes through them). */
  values(): V[] {
    if (this.more !== undefined) return [...this.more.values()];
    return this.hasFirst ? [this.firstValue!] : [];
  }

  clear(): void {
    this.more = undefined;
    this.clearFirst();
  }

  private clearFirst(): void {
    this.firstKey = undefined;
    this.firstValue = undefined;
    this.hasFirst = false;
  }
}
