import assert from "node:assert/strict";
import { test } from "node:test";
import type { Message } from "@parley/protocol";
import { Conversation } from "../src/conversation.js";

const at = new Date("2025-01-01T10:00:00Z");
const stored = (id: number, extra: Partial<Message> = {}): Message => ({
  id,
  sender: "admin",
  content: `m${id}`,
  created_at: at.toISOString(),
  ...extra,
});

test("a pending send is confirmed by its echo, keeping its place and key", () => {
  const conversation = new Conversation();
  const pending = conversation.addPending("hello", "c1", at);
  assert.equal(pending.delivery, "pending");
  const result = conversation.receive(stored(7, { sender: "visitor", content: "hello", client_id: "c1" }));
  assert.equal(result.how, "confirmed");
  assert.equal(result.held?.key, pending.key);
  assert.deepEqual(
    conversation.list().map((m) => [m.id, m.delivery]),
    [[7, "sent"]],
  );
});

test("replays, retried echoes and other tabs never duplicate a message", () => {
  const conversation = new Conversation();
  conversation.receive(stored(1));
  assert.equal(conversation.receive(stored(1)).how, "duplicate");
  conversation.receive(stored(3, { sender: "visitor", client_id: "other-tab" }));
  assert.equal(
    conversation.receive(stored(3, { sender: "visitor", client_id: "other-tab" })).how,
    "duplicate",
  );
  conversation.receive(stored(2));
  assert.deepEqual(
    conversation.list().map((m) => m.id),
    [1, 2, 3],
  );
  assert.equal(conversation.highestId, 3);
});

test("unsent messages follow stored ones in the order they were written", () => {
  const conversation = new Conversation();
  conversation.addPending("a", "a", at);
  conversation.addPending("b", "b", at);
  conversation.receive(stored(10));
  conversation.setDelivery("a", "failed");
  assert.deepEqual(
    conversation.list().map((m) => m.content),
    ["m10", "a", "b"],
  );
  assert.deepEqual(
    conversation.unsent().map((m) => [m.content, m.delivery]),
    [
      ["a", "failed"],
      ["b", "pending"],
    ],
  );
  conversation.receive(stored(11, { sender: "visitor", content: "a", client_id: "a" }));
  assert.equal(conversation.setDelivery("a", "failed"), undefined, "a sent message cannot fail any more");
});

test("unread counts agent messages after the last one seen", () => {
  const conversation = new Conversation();
  conversation.receive(stored(1));
  conversation.receive(stored(2, { sender: "visitor" }));
  conversation.receive(stored(3));
  conversation.receive(stored(4));
  assert.equal(conversation.unreadAfter(0), 3);
  assert.equal(conversation.unreadAfter(3), 1);
  assert.equal(conversation.unreadAfter(4), 0);
});
