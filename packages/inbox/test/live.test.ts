import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyList } from "../src/state/conversationList.js";
import { DEFAULT_FILTER } from "../src/state/filters.js";
import { applyEvent, type LiveState } from "../src/state/live.js";
import { addPending, EMPTY_THREAD } from "../src/state/thread.js";
import { typistsIn } from "../src/state/typing.js";
import { conversation, message } from "./fixtures.js";

const context = { meId: 1, nowMs: 1_000_000, readingId: null };

function state(): LiveState {
  const c = conversation(5, { latest_message: message(10), unread_count: 1 });
  return {
    conversations: new Map([[5, c]]),
    list: { ...emptyList(DEFAULT_FILTER), ids: [5], loaded: true, loading: false },
    threads: new Map([
      [
        5,
        addPending(EMPTY_THREAD, {
          client_id: "c1",
          content: "hi",
          created_at: "",
          state: "sending",
          error: null,
        }),
      ],
    ]),
    typing: new Map(),
    livePages: new Map(),
  };
}

test("a catch-up replays messages in id order: each lands once, the unread count only rises for new ones", () => {
  let s = state();
  for (const id of [9, 10, 11, 11, 12]) {
    s = applyEvent(
      s,
      { type: "new_message", conversation_id: 5, visitor_name: null, message: message(id) },
      context,
    );
  }
  assert.deepEqual(
    s.threads.get(5)?.messages.map((m) => m.id),
    [9, 10, 11, 12],
  );
  assert.equal(s.conversations.get(5)?.unread_count, 3);
});

test("a visitor's message ends their typing; my own typing events are ignored", () => {
  let s = applyEvent(
    state(),
    { type: "typing", conversation_id: 5, typing: true, sender: "visitor" },
    context,
  );
  assert.deepEqual(typistsIn(s.typing, 5, context.nowMs), ["visitor"]);
  s = applyEvent(
    s,
    { type: "new_message", conversation_id: 5, visitor_name: null, message: message(11) },
    context,
  );
  assert.deepEqual(typistsIn(s.typing, 5, context.nowMs), []);
  s = applyEvent(
    s,
    { type: "typing", conversation_id: 5, typing: true, sender: "admin", agent_id: 1 },
    context,
  );
  assert.deepEqual(typistsIn(s.typing, 5, context.nowMs), []);
  s = applyEvent(
    s,
    { type: "typing", conversation_id: 5, typing: true, sender: "admin", agent_id: 2 },
    context,
  );
  assert.deepEqual(typistsIn(s.typing, 5, context.nowMs), ["agent:2"]);
  assert.deepEqual(typistsIn(s.typing, 5, context.nowMs + 10_000), [], "a true lapses by itself");
});

test("an error with a client_id fails that send; a deletion forgets the conversation", () => {
  let s = applyEvent(state(), { type: "error", error: "Message too long", client_id: "c1" }, context);
  assert.equal(s.threads.get(5)?.pending[0]?.state, "failed");
  assert.equal(s.threads.get(5)?.pending[0]?.error, "Message too long");
  s = applyEvent(s, { type: "conversation_deleted", conversation_id: 5 }, context);
  assert.equal(s.conversations.has(5), false);
  assert.equal(s.threads.has(5), false);
  assert.deepEqual(s.list.ids, []);
});

test("conversation_updated moves a conversation out of a view it no longer matches", () => {
  const s = applyEvent(
    state(),
    { type: "conversation_updated", conversation: conversation(5, { status: "closed" }) },
    context,
  );
  assert.deepEqual(s.list.ids, []);
  assert.equal(s.conversations.get(5)?.status, "closed");
  assert.equal(s.conversations.get(5)?.latest_message?.id, 10, "the newer last message we held is kept");
});
