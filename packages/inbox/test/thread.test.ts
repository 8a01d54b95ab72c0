import assert from "node:assert/strict";
import { test } from "node:test";
import {
  addHistory,
  addMessage,
  addPending,
  EMPTY_THREAD,
  mergeMessages,
  setPendingState,
} from "../src/state/thread.js";
import { message } from "./fixtures.js";

test("messages merge by id, oldest first, never twice", () => {
  const merged = mergeMessages([message(3), message(1)], [message(2), message(3), message(1)]);
  assert.deepEqual(
    merged.map((m) => m.id),
    [1, 2, 3],
  );
});

test("the echo of a send replaces its pending copy, by client_id", () => {
  let thread = addPending(EMPTY_THREAD, {
    client_id: "c1",
    content: "hi",
    created_at: "",
    state: "sending",
    error: null,
  });
  thread = setPendingState(thread, "c1", "failed", "No answer");
  assert.equal(thread.pending[0]?.state, "failed");
  thread = addMessage(thread, message(9, { sender: "admin", content: "hi", client_id: "c1" }));
  assert.deepEqual(thread.pending, []);
  assert.deepEqual(
    thread.messages.map((m) => m.id),
    [9],
  );
  assert.equal(addMessage(thread, message(9, { client_id: "c1" })), thread, "a repeat is a no-op");
});

test("history pages: the first sets has_more, older pages extend it, live ones don't reset it", () => {
  let thread = addHistory(EMPTY_THREAD, [message(50), message(51)], true);
  assert.equal(thread.loaded, true);
  assert.equal(thread.hasMore, true);
  thread = { ...thread, loadingOlder: true };
  thread = addHistory(thread, [message(48), message(49)], false);
  assert.equal(thread.hasMore, false);
  assert.equal(thread.loadingOlder, false);
  assert.deepEqual(
    thread.messages.map((m) => m.id),
    [48, 49, 50, 51],
  );
  // A re-request of the newest page (after a reconnect) says nothing about older messages.
  thread = addHistory(thread, [message(50), message(51), message(52)], true);
  assert.equal(thread.hasMore, false);
});

test("history that already holds a pending send settles it", () => {
  const thread = addPending(EMPTY_THREAD, {
    client_id: "c2",
    content: "x",
    created_at: "",
    state: "sending",
    error: null,
  });
  const next = addHistory(thread, [message(3, { sender: "admin", client_id: "c2" })], false);
  assert.deepEqual(next.pending, []);
});
