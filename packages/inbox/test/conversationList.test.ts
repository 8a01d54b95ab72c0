import assert from "node:assert/strict";
import { test } from "node:test";
import type { Conversation } from "@parley/protocol";
import {
  addPage,
  applyMessage,
  emptyList,
  mergeConversation,
  placeInList,
  sortIds,
  totalUnread,
  type ListState,
} from "../src/state/conversationList.js";
import { DEFAULT_FILTER, filterQuery } from "../src/state/filters.js";
import { conversation, message } from "./fixtures.js";

const ME = 7;

function mapOf(...conversations: Conversation[]): Map<number, Conversation> {
  return new Map(conversations.map((c) => [c.id, c]));
}

function loadedList(ids: number[], nextBefore?: string): ListState {
  return { ...emptyList(DEFAULT_FILTER), ids, nextBefore, loaded: true, loading: false };
}

test("the list is ordered like the server: newest activity first, then higher id", () => {
  const a = conversation(1, { updated_at: "2025-01-01T10:00:00.000Z" });
  const b = conversation(2, { updated_at: "2025-01-01T11:00:00.000Z" });
  const c = conversation(3, { updated_at: "2025-01-01T10:00:00.000Z" });
  assert.deepEqual(sortIds([1, 2, 3, 2], mapOf(a, b, c)), [2, 3, 1]);
});

test("a replayed message changes nothing, so unread counts never double after a catch-up", () => {
  const base = conversation(1, { latest_message: message(10), unread_count: 1 });
  assert.equal(applyMessage(base, message(9), null, { countUnread: true }), base);
  assert.equal(applyMessage(base, message(10), null, { countUnread: true }), base);
  const next = applyMessage(base, message(11), "Vera", { countUnread: true });
  assert.equal(next.unread_count, 2);
  assert.equal(next.visitor_name, "Vera");
  assert.equal(next.latest_message?.id, 11);
  assert.equal(next.last_message, "message 11", "the seed's preview text follows the latest message");
  assert.equal(next.updated_at, message(11).created_at);
  const reading = applyMessage(base, message(12), null, { countUnread: false });
  assert.equal(reading.unread_count, 1, "the conversation on screen is read at once");
  const reply = applyMessage(base, message(13, { sender: "admin" }), null, { countUnread: true });
  assert.equal(reply.unread_count, 1, "agents' replies are not unread");
});

test("a server snapshot wins, but never takes back a newer last message", () => {
  const held = conversation(1, { latest_message: message(20), updated_at: "2025-01-02T00:00:00.000Z" });
  const snapshot = conversation(1, { latest_message: message(19), status: "closed", unread_count: 0 });
  const merged = mergeConversation(held, snapshot);
  assert.equal(merged.status, "closed");
  assert.equal(merged.latest_message?.id, 20);
  assert.equal(merged.last_message, "message 20", "the preview stays with the message it previews");
  assert.equal(merged.updated_at, "2025-01-02T00:00:00.000Z");
  const newer = conversation(1, { latest_message: message(21) });
  assert.equal(mergeConversation(held, newer), newer);
});

test("a live message of files alone is previewed by their names, as the server does", () => {
  const file = (id: number, filename: string) => ({
    id,
    filename,
    content_type: "image/png",
    byte_size: 1,
    url: "/f",
  });
  const photos = message(30, {
    content: "",
    attachments: [file(1, "photo.png"), file(2, "b.png"), file(3, "c.png")],
  });
  const next = applyMessage(conversation(1), photos, null, { countUnread: true });
  assert.equal(next.last_message, "photo.png +2");
  assert.equal(next.latest_message, photos);
});

test("live updates move conversations into and out of the filtered list", () => {
  const open = conversation(1, { updated_at: "2025-01-01T12:00:00.000Z" });
  let map = mapOf(open);
  let list = placeInList(loadedList([]), open, map, ME);
  assert.deepEqual(list.ids, [1]);
  const closed = { ...open, status: "closed" as const, state: "resolved" as const };
  map = mapOf(closed);
  list = placeInList(list, closed, map, ME);
  assert.deepEqual(list.ids, []);

  const mine = { ...emptyList({ ...DEFAULT_FILTER, assignee: "mine" }), loaded: true };
  const assigned = conversation(2, { assignee_id: ME });
  assert.deepEqual(placeInList(mine, assigned, mapOf(assigned), ME).ids, [2]);
  const other = conversation(3, { assignee_id: ME + 1 });
  assert.deepEqual(placeInList(mine, other, mapOf(other), ME).ids, []);
});

test("a conversation older than the loaded pages waits for its page", () => {
  const newest = conversation(1, { updated_at: "2025-01-01T12:00:00.000Z" });
  const older = conversation(2, { updated_at: "2025-01-01T08:00:00.000Z" });
  const map = mapOf(newest, older);
  assert.deepEqual(placeInList(loadedList([1], "cursor"), older, map, ME).ids, [1]);
  assert.deepEqual(placeInList(loadedList([1]), older, map, ME).ids, [1, 2], "every match loaded: add it");
});

test("while searching, only visible matches join the list", () => {
  const searching: ListState = { ...loadedList([]), filter: { ...DEFAULT_FILTER, search: "lamp" } };
  const match = conversation(1, { latest_message: message(5, { content: "My LAMP broke" }) });
  const miss = conversation(2, { latest_message: message(6, { content: "hello" }) });
  assert.deepEqual(placeInList(searching, match, mapOf(match), ME).ids, [1]);
  assert.deepEqual(placeInList(searching, miss, mapOf(miss), ME).ids, []);
});

test("pages append; a fresh first page drops rows in its range the server no longer has", () => {
  const c = (id: number, hour: number) =>
    conversation(id, { updated_at: `2025-01-01T${String(hour).padStart(2, "0")}:00:00.000Z` });
  const [c1, c2, c3, c4] = [c(1, 12), c(2, 11), c(3, 10), c(4, 9)];
  let map = mapOf(c1, c2, c3, c4);
  let list = addPage(emptyList(DEFAULT_FILTER), { conversations: [c1, c2], next_before: "p2" }, map, {
    fresh: true,
  });
  assert.deepEqual(list.ids, [1, 2]);
  assert.equal(list.nextBefore, "p2");
  list = addPage(list, { conversations: [c3, c4], next_before: "p3" }, map, { fresh: false });
  assert.deepEqual(list.ids, [1, 2, 3, 4]);
  assert.equal(list.nextBefore, "p3");
  // After a reconnect: 2 was deleted meanwhile and 5 is new; 3 and 4 are beyond the page.
  const c5 = c(5, 13);
  map = mapOf(c1, c3, c4, c5);
  list = addPage(list, { conversations: [c5, c1], next_before: "x" }, map, { fresh: true });
  assert.deepEqual(list.ids, [5, 1, 3, 4]);
  assert.equal(list.nextBefore, "p3", "the deepest cursor is kept");
});

test("filters become the REST query", () => {
  assert.deepEqual(filterQuery(DEFAULT_FILTER), { state: "open" });
  assert.deepEqual(filterQuery({ ...DEFAULT_FILTER, state: "resolved", search: " lamp " }), {
    state: "resolved",
    q: "lamp",
  });
  assert.deepEqual(filterQuery({ ...DEFAULT_FILTER, assignee: "mine" }), { state: "open", assignee: "me" });
  assert.deepEqual(filterQuery({ ...DEFAULT_FILTER, state: "all", assignee: "unassigned", labelId: 7 }), {
    state: "all",
    assignee: "unassigned",
    label_id: "7",
  });
});

test("the tab's unread total adds every known conversation", () => {
  assert.equal(
    totalUnread(mapOf(conversation(1, { unread_count: 2 }), conversation(2, { unread_count: 3 }))),
    5,
  );
});

test("live arrivals before the first page: newer ones stay, older ones wait for their page", () => {
  const c = (id: number, hour: number) =>
    conversation(id, { updated_at: `2025-01-01T${String(hour).padStart(2, "0")}:00:00.000Z` });
  const [c1, c2, c3, c9] = [c(1, 12), c(2, 11), c(3, 10), c(9, 14)];
  const map = mapOf(c1, c2, c3, c9);
  // The AdminChannel's own list came first and placed 1, 2, 3 and 9 in the still empty list.
  const early: ListState = { ...emptyList(DEFAULT_FILTER), ids: [9, 1, 2, 3] };
  const list = addPage(early, { conversations: [c1, c2], next_before: "p2" }, map, { fresh: true });
  assert.deepEqual(list.ids, [9, 1, 2]);
  const complete = addPage(early, { conversations: [c1, c2] }, map, { fresh: true });
  assert.deepEqual(complete.ids, [9, 1, 2, 3]);
});
