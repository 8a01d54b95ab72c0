/**
 * A stream's listeners on this node. Nearly every stream has exactly one: a visitor's own stream,
 * heard by that visitor's one socket. A Set for it cost about 300 bytes (the Set and its table)
 * per connected visitor, so one listener is kept as it is and a Set is made for a second.
 * Listeners are heard in the order they were added, as a Set would.
 */
import type { Listener } from "./broker.js";

export class StreamListeners {
  private one: Listener | undefined;
  private many: Set<Listener> | undefined;

  get size(): number {
    return this.many?.size ?? (this.one === undefined ? 0 : 1);
  }

  add(listener: Listener): void {
    if (this.many !== undefined) this.many.add(listener);
    else if (this.one === undefined) this.one = listener;
    else {
      this.many = new Set([this.one, listener]);
      this.one = undefined;
    }
  }

  delete(listener: Listener): void {
    if (this.many !== undefined) this.many.delete(listener);
    else if (this.one === listener) this.one = undefined;
  }

  /** Each listener in turn; one removed meanwhile is not visited, as in a Set's own loop. */
  forEach(visit: (listener: Listener) => void): void {
    if (this.many !== undefined) for (const listener of this.many) visit(listener);
    else if (this.one !== undefined) visit(this.one);
  }
}
