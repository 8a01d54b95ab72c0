/** A stream's listeners (streamListeners.ts): one kept as is, more in a Set, heard in order. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StreamListeners, type ListenerEntry } from "./streamListeners.js";

describe("a stream's listeners", () => {
  const heard: string[] = [];
  const listener = (name: string): ListenerEntry => ({ listener: () => void heard.push(name) });
  const visit = (listeners: StreamListeners) => {
    heard.length = 0;
    listeners.forEach((each) => each({ event: { type: "typing" } as never, json: "{}" }));
    return [...heard];
  };

  it("keeps one, then more, in the order they came, and forgets each removed", () => {
    const listeners = new StreamListeners();
    assert.equal(listeners.size, 0);
    assert.deepEqual(visit(listeners), []);
    const [a, b, c] = [listener("a"), listener("b"), listener("c")];
    listeners.add(a);
    assert.equal(listeners.size, 1);
    assert.deepEqual(visit(listeners), ["a"]);
    listeners.add(b);
    listeners.add(c);
    assert.equal(listeners.size, 3);
    assert.deepEqual(visit(listeners), ["a", "b", "c"]);
    listeners.delete(b);
    assert.deepEqual(visit(listeners), ["a", "c"]);
    listeners.delete(a);
    listeners.delete(c);
    assert.equal(listeners.size, 0);
    assert.deepEqual(visit(listeners), []);
  });

  it("forgets its only listener, and a listener it never had changes nothing", () => {
    const listeners = new StreamListeners();
    const a = listener("a");
    listeners.add(a);
    listeners.delete(listener("other"));
    assert.equal(listeners.size, 1);
    listeners.delete(a);
    assert.equal(listeners.size, 0);
    assert.deepEqual(visit(listeners), []);
  });

  it("does not visit a listener removed by one heard before it", () => {
    const listeners = new StreamListeners();
    const later = listener("later");
    listeners.add({
      listener: () => {
        heard.push("first");
        listeners.delete(later);
      },
    });
    listeners.add(later);
    assert.deepEqual(visit(listeners), ["first"]);
  });
});
