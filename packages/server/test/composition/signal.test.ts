/** Signal: what server.ts's "Who reacts to what" relies on. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Signal } from "../../src/signal.js";

describe("Signal", () => {
  it("calls every listener in subscription order, until it unsubscribes", () => {
    const signal = new Signal<number>();
    const heard: string[] = [];
    const offA = signal.on((n) => heard.push(`a${n}`));
    signal.on((n) => heard.push(`b${n}`));
    signal.emit(1);
    offA();
    signal.emit(2);
    assert.deepEqual(heard, ["a1", "b1", "b2"]);
  });

  it("calls a function subscribed twice twice, and each unsubscribe removes one", () => {
    const signal = new Signal<void>();
    let calls = 0;
    const listener = () => calls++;
    const off = signal.on(listener);
    signal.on(listener);
    signal.emit();
    off();
    signal.emit();
    assert.equal(calls, 3);
  });

  it("runs the other listeners when one throws, then throws its error to the emitter", () => {
    const signal = new Signal<string>();
    const heard: string[] = [];
    signal.on(() => {
      throw new Error("first failed");
    });
    signal.on((value) => heard.push(value));
    assert.throws(() => signal.emit("x"), /first failed/);
    assert.deepEqual(heard, ["x"]);
    signal.on(() => {
      throw new Error("third failed");
    });
    assert.throws(
      () => signal.emit("y"),
      (error: unknown) => error instanceof AggregateError && error.errors.length === 2,
    );
    assert.deepEqual(heard, ["x", "y"]);
  });

  it("lets a listener unsubscribe while the signal is being emitted", () => {
    const signal = new Signal<number>();
    const heard: number[] = [];
    const off = signal.on((n) => {
      heard.push(n);
      off();
    });
    signal.on((n) => heard.push(n * 10));
    signal.emit(1);
    signal.emit(2);
    assert.deepEqual(heard, [1, 10, 20]);
  });
});
