/**
 * A stream's listeners on this node. Nearly every stream has exactly one: a visitor's own stream,
 * heard by that visitor's one socket. A Set for it cost about 300 bytes (the Set and its table)
 * per connected visitor, so one listener is kept as it is and a Set is made for a second.
 * Listeners are heard in the order they were added, as a Set would.
 */
import type { Listener } from "./broker.js";

/**
 * One subscription's listener. An object of its own, so a function subscribed twice is two
 * listeners, each removed on its own; the brokers made a wrapping closure per subscription for
 * that, which with its scope cost about 120 bytes.
 */
export interface ListenerEntry {
  readonly listener: Listener;
}

export class StreamListeners {
  private one: ListenerEntry | undefined;
  private many: Set<ListenerEntry> | undefined;

  get size(): number {
    return this.many?.size ?? (this.one === undefined ? 0 : 1);
  }

  add(entry: ListenerEntry): void {
    if (this.many !== undefined) this.many.add(entry);
    else if (this.one === undefined) this.one = entry;
    else {
      this.many = new Set([this.one, entry]);
      this.one = undefined;
    }
  }

  delete(entry: ListenerEntry): void {
    if (this.many !== undefined) this.many.delete(entry);
    else if (this.one === entry) this.one = undefined;
  }

  /** Each listener in turn; one removed meanwhile is not visited, as in a Set's own loop. */
  forEach(visit: (listener: Listener) => void): void {
    if (this.many !== undefined) for (const entry of this.many) visit(entry.listener);
    else if (this.one !== undefined) visit(this.one.listener);
  }
}
