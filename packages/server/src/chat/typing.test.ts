/** Typing state on a mocked clock: rebroadcast at most once a second, lapse, stop. No sleeping. */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { TYPING_EXPIRY_MS } from "@parley/protocol";
import { TypingTracker } from "./typing.js";

describe("typing", () => {
  let tracker: TypingTracker;
  let errors: unknown[];
  /** What the others were told, per key, in order. */
  let told: Map<string, boolean[]>;

  beforeEach(() => {
    mock.timers.enable({ apis: ["Date", "setTimeout"], now: 0 });
    errors = [];
    told = new Map();
    tracker = new TypingTracker((error) => errors.push(error));
  });

  afterEach(() => {
    tracker.clear();
    mock.timers.reset();
  });

  const announce = (key: string) => async (typing: boolean) => {
    told.set(key, [...(told.get(key) ?? []), typing]);
  };
  const type = (key: string, typing = true) => tracker.update(key, typing, Date.now(), announce(key));
  /** Lets an expiry's announcement (a promise started by a timer) finish. */
  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it("tells the others at the start, and of refreshes at most once a second", async () => {
    await type("a");
    mock.timers.tick(400);
    await type("a");
    mock.timers.tick(599);
    await type("a");
    assert.deepEqual(told.get("a"), [true], "999 ms after the last broadcast: not yet");
    mock.timers.tick(1);
    await type("a");
    assert.deepEqual(told.get("a"), [true, true], "1 s after it: broadcast again");
    mock.timers.tick(300);
    await type("a");
    assert.deepEqual(told.get("a"), [true, true]);
  });

  it(`lapses ${TYPING_EXPIRY_MS} ms after the last refresh, broadcast or not, and tells the others once`, async () => {
    await type("a");
    mock.timers.tick(500);
    await type("a"); // not broadcast (within a second), but it still pushes the lapse back
    mock.timers.tick(TYPING_EXPIRY_MS - 1);
    await settle();
    assert.deepEqual(told.get("a"), [true]);
    mock.timers.tick(1);
    await settle();
    assert.deepEqual(told.get("a"), [true, false]);
    mock.timers.tick(TYPING_EXPIRY_MS * 2);
    await settle();
    assert.deepEqual(told.get("a"), [true, false], "a lapsed typist is not stopped twice");
    await type("a");
    assert.deepEqual(told.get("a"), [true, false, true], "typing again after a lapse is a new start");
  });

  it("stops when the typist sends (stop), without a lapse afterwards", async () => {
    await type("a");
    assert.equal(tracker.stop("a"), true, "was typing: the caller tells the others");
    assert.equal(tracker.stop("a"), false);
    mock.timers.tick(TYPING_EXPIRY_MS * 2);
    await settle();
    assert.deepEqual(told.get("a"), [true]);
  });

  it("announces an explicit stop once, and nothing for one who was not typing", async () => {
    await type("b", false);
    await type("a");
    await type("a", false);
    await type("a", false);
    mock.timers.tick(TYPING_EXPIRY_MS);
    await settle();
    assert.deepEqual(told.get("a"), [true, false]);
    assert.equal(told.get("b"), undefined);
  });

  it("keeps typists apart, and reports a failed lapse announcement instead of throwing", async () => {
    await type("a");
    mock.timers.tick(2000);
    await tracker.update("b", true, Date.now(), async (typing) => {
      if (!typing) throw new Error("broker down");
    });
    mock.timers.tick(TYPING_EXPIRY_MS - 2000);
    await settle();
    assert.deepEqual(told.get("a"), [true, false]);
    assert.deepEqual(errors, []);
    mock.timers.tick(2000);
    await settle();
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /broker down/);
  });

  it("clear forgets every typist without telling anyone", async () => {
    await type("a");
    await type("b");
    tracker.clear();
    mock.timers.tick(TYPING_EXPIRY_MS);
    await settle();
    assert.deepEqual([...told.values()], [[true], [true]]);
    assert.equal(tracker.stop("a"), false);
  });
});
