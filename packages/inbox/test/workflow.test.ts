/**
 * (§15) The team workflow in the inbox: the list's state, assignee and label views; label chips
 * that stay readable; snooze times; availability and activity; view counts; and the store
 * keeping them live from AdminChannel events (a scripted socket plays the server).
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { ACTIVITY_INTERVAL_MS, type AdminEvent, type Label } from "@parley/protocol";
import { fakeSockets, type FakeSocket } from "../../protocol/src/cable/fakeSocket.js";
import { applyAvailability, shouldSendActivity } from "../src/state/availability.js";
import { emptyList, placeInList, type ListState } from "../src/state/conversationList.js";
import { DEFAULT_FILTER, matchesView, stateOf, type ListFilter } from "../src/state/filters.js";
import {
  chipText,
  contrastRatio,
  labelNameProblem,
  labelsOf,
  removeLabel,
  toggleLabel,
  upsertLabel,
} from "../src/state/labels.js";
import {
  customSnooze,
  localInputValue,
  snoozedShortText,
  snoozedText,
  snoozeUntil,
} from "../src/state/snooze.js";
import { applyCounts, countText } from "../src/state/viewCounts.js";
import { settingsChanges, settingsDraft } from "../src/state/siteDraft.js";
import { InboxStore } from "../src/store/inboxStore.js";
import { agent, conversation, ownerSettings } from "./fixtures.js";

const ME = 1;
const label = (id: number, name: string, color = "#2563eb"): Label => ({
  id,
  name,
  color,
  created_at: "2026-01-01T00:00:00.000Z",
});
const listOf = (filter: Partial<ListFilter>): ListState => ({
  ...emptyList({ ...DEFAULT_FILTER, ...filter }),
  loaded: true,
  loading: false,
});

test("state views: each state its own, 'all' every one; the seed's closed is resolved", () => {
  const pending = conversation(1, { state: "pending" });
  assert.equal(matchesView(pending, { ...DEFAULT_FILTER, state: "pending" }, ME), true);
  assert.equal(matchesView(pending, DEFAULT_FILTER, ME), false, "pending is not in Open");
  assert.equal(matchesView(pending, { ...DEFAULT_FILTER, state: "all" }, ME), true);
  const old = { ...conversation(2, { status: "closed" }), state: undefined } as unknown as Parameters<
    typeof stateOf
  >[0];
  assert.equal(stateOf(old), "resolved", "a server before §15 sends only status");
  assert.equal(stateOf(conversation(3, { status: "closed" })), "resolved");
});

test("assignee and label views cross the state view", () => {
  const mineLabelled = conversation(1, { assignee_id: ME, label_ids: [4, 9] });
  const theirs = conversation(2, { assignee_id: 2, label_ids: [9] });
  const nobody = conversation(3);
  const mine: ListFilter = { ...DEFAULT_FILTER, assignee: "mine" };
  assert.deepEqual(
    [mineLabelled, theirs, nobody].map((c) => matchesView(c, mine, ME)),
    [true, false, false],
  );
  const unassigned: ListFilter = { ...DEFAULT_FILTER, assignee: "unassigned" };
  assert.deepEqual(
    [mineLabelled, theirs, nobody].map((c) => matchesView(c, unassigned, ME)),
    [false, false, true],
  );
  const labelled: ListFilter = { ...DEFAULT_FILTER, labelId: 9 };
  assert.deepEqual(
    [mineLabelled, theirs, nobody].map((c) => matchesView(c, labelled, ME)),
    [true, true, false],
  );
  assert.equal(matchesView(mineLabelled, { ...mine, labelId: 5 }, ME), false);
});

test("a snoozed conversation leaves Open live, and comes back when it opens again", () => {
  const open = conversation(1);
  let list = placeInList(listOf({}), open, new Map([[1, open]]), ME);
  assert.deepEqual(list.ids, [1]);
  const snoozed = { ...open, state: "snoozed" as const, snoozed_until: null };
  list = placeInList(list, snoozed, new Map([[1, snoozed]]), ME);
  assert.deepEqual(list.ids, []);
  assert.deepEqual(placeInList(listOf({ state: "snoozed" }), snoozed, new Map([[1, snoozed]]), ME).ids, [1]);
  const woken = { ...snoozed, state: "open" as const };
  assert.deepEqual(placeInList(list, woken, new Map([[1, woken]]), ME).ids, [1]);
  // A label taken off drops it from that label's view.
  const labelled = { ...open, label_ids: [3] };
  const byLabel = placeInList(listOf({ labelId: 3 }), labelled, new Map([[1, labelled]]), ME);
  assert.deepEqual(byLabel.ids, [1]);
  const unlabelled = { ...open, label_ids: [] };
  assert.deepEqual(placeInList(byLabel, unlabelled, new Map([[1, unlabelled]]), ME).ids, []);
});

test("a chip's text is black or white, whichever reads at least 4.5:1 on its colour", () => {
  for (const color of ["#000000", "#ffffff", "#2563eb", "#ffeb3b", "#777777", "#808080", "#e11d48", "#0f0"]) {
    const text = chipText(color);
    assert.ok(contrastRatio(color, text) >= 4.5, `${color} with ${text}`);
  }
  assert.equal(chipText("#ffeb3b"), "#000000");
  assert.equal(chipText("#1e3a8a"), "#ffffff");
  assert.equal(Math.round(contrastRatio("#000000", "#ffffff")), 21);
});

test("labels: kept by name, replaced, removed, toggled on a conversation, names checked", () => {
  let labels = upsertLabel([], label(2, "vip"));
  labels = upsertLabel(labels, label(1, "Billing"));
  assert.deepEqual(
    labels.map((l) => l.name),
    ["Billing", "vip"],
  );
  labels = upsertLabel(labels, label(2, "Angry", "#e11d48"));
  assert.deepEqual(
    labels.map((l) => [l.id, l.name]),
    [
      [2, "Angry"],
      [1, "Billing"],
    ],
  );
  const c = conversation(1, { label_ids: [1, 99] });
  assert.deepEqual(
    labelsOf(c, labels).map((l) => l.id),
    [1],
    "an id we do not know is skipped",
  );
  assert.deepEqual(toggleLabel(c, 2, true), [1, 99, 2]);
  assert.deepEqual(toggleLabel(c, 1, false), [99]);
  assert.deepEqual(removeLabel(labels, 2), [labels[1]]);
  assert.equal(labelNameProblem(" billing ", labels, 40), "There is already a label called “billing”.");
  assert.equal(labelNameProblem("Billing", labels, 40, 1), null, "its own name is fine");
  assert.equal(labelNameProblem("  ", labels, 40), "A label needs a name.");
  assert.match(labelNameProblem("x".repeat(41), labels, 40) ?? "", /at most 40/);
});

test("snooze times are the agent's local ones", () => {
  // Wednesday 3 June 2026, 14:30 local time.
  const now = new Date(2026, 5, 3, 14, 30);
  assert.equal(snoozeUntil("reply", now), null);
  assert.equal(snoozeUntil("hour", now), new Date(2026, 5, 3, 15, 30).toISOString());
  assert.equal(snoozeUntil("tomorrow", now), new Date(2026, 5, 4, 9, 0).toISOString());
  assert.equal(snoozeUntil("next_week", now), new Date(2026, 5, 8, 9, 0).toISOString(), "next Monday");
  const monday = new Date(2026, 5, 8, 8, 0);
  assert.equal(snoozeUntil("next_week", monday), new Date(2026, 5, 15, 9, 0).toISOString(), "a week on");

  assert.equal(localInputValue(now), "2026-06-03T14:30");
  assert.deepEqual(customSnooze("2026-06-05T10:15", now), {
    until: new Date(2026, 5, 5, 10, 15).toISOString(),
  });
  assert.deepEqual(customSnooze("2026-06-03T14:00", now), { problem: "snoozeFuture" });
  assert.deepEqual(customSnooze("2027-07-01T10:00", now), { problem: "snoozeAtMostYear" });
  assert.deepEqual(customSnooze("", now), { problem: "snoozePickDateTime" });
});

test("the header and row say until when a conversation sleeps", () => {
  assert.equal(snoozedText(conversation(1)), null);
  assert.equal(
    snoozedText(conversation(1, { state: "snoozed", snoozed_until: null })),
    "Snoozed until the visitor replies",
  );
  const text = snoozedText(
    conversation(1, { state: "snoozed", snoozed_until: new Date(2026, 5, 4, 9, 0).toISOString() }),
    "en-GB",
  );
  assert.match(text ?? "", /^Snoozed until Thu,? 4 Jun,? 09:00$/);
  const now = new Date(2026, 5, 3, 14, 30);
  const tomorrow = conversation(1, {
    state: "snoozed",
    snoozed_until: new Date(2026, 5, 4, 9, 0).toISOString(),
  });
  assert.equal(snoozedShortText(tomorrow, now, "en-GB"), "Snoozed until Thu 09:00");
  const later = conversation(1, {
    state: "snoozed",
    snoozed_until: new Date(2026, 5, 20, 9, 0).toISOString(),
  });
  assert.equal(snoozedShortText(later, now, "en-GB"), "Snoozed until 20 Jun");
  assert.equal(
    snoozedShortText(conversation(1, { state: "snoozed", snoozed_until: null }), now),
    "Snoozed until a reply",
  );
});

test("availability changes apply to their agent; activity goes out at most every interval while visible", () => {
  const team = [agent(1), agent(2)];
  const next = applyAvailability(team, { agent_id: 2, availability: "away", chosen_availability: "online" });
  assert.deepEqual(
    next.map((a) => [a.availability, a.chosen_availability]),
    [
      ["online", "online"],
      ["away", "online"],
    ],
  );
  assert.equal(next[0], team[0], "the others are the same objects");
  assert.equal(shouldSendActivity(1000, null, true, 30_000), true);
  assert.equal(shouldSendActivity(1000, null, false, 30_000), false, "not while hidden");
  assert.equal(shouldSendActivity(30_999, 1000, true, 30_000), false);
  assert.equal(shouldSendActivity(31_000, 1000, true, 30_000), true);
});

test("view counts: the same object when nothing changed; wide numbers fold", () => {
  const counts = { mine: 1, unassigned: 2, all: 5 };
  assert.equal(applyCounts(counts, { ...counts }), counts);
  assert.deepEqual(applyCounts(counts, { ...counts, all: 6 }), { mine: 1, unassigned: 2, all: 6 });
  assert.equal(applyCounts(null, counts).all, 5);
  assert.equal(countText(99), "99");
  assert.equal(countText(100), "99+");
});

// --- the store, live -------------------------------------------------------------------------

const realFetch = globalThis.fetch;
beforeEach(() => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 1_000_000 });
  globalThis.fetch = async (input) => {
    const url = input instanceof Request ? input.url : input.toString();
    if (url.endsWith("/conversations/counts"))
      return Response.json({ mine: 0, unassigned: 3, all: 4 }, { status: 200 });
    if (url.endsWith("/labels")) return Response.json({ labels: [label(2, "vip"), label(1, "Billing")] });
    return new Response(JSON.stringify({ error: "not here" }), { status: 503 });
  };
});
afterEach(() => {
  mock.timers.reset();
  globalThis.fetch = realFetch;
});

function inbox(visible = true) {
  const { sockets, create } = fakeSockets();
  const store = new InboxStore(agent(ME), {
    cableUrl: "ws://inbox.test/cable",
    createSocket: create,
    sessionEnded: () => undefined,
    openDeleted: () => undefined,
    visitorMessage: () => undefined,
    pageVisible: () => visible,
  });
  const socket = (): FakeSocket => sockets.at(-1)!;
  const subscription = () => socket().sent.find((frame) => frame.command === "subscribe")!;
  const connect = (): void => {
    socket().accept();
    socket().frame({ type: "welcome" });
    socket().frame({ identifier: subscription().identifier, type: "confirm_subscription" });
  };
  const send = (event: AdminEvent): void =>
    socket().frame({ identifier: subscription().identifier, message: event });
  const actions = (): Record<string, unknown>[] =>
    socket()
      .sent.filter((frame) => frame.command === "message")
      .map((frame) => JSON.parse(frame.data as string) as Record<string, unknown>);
  /** The clock moves on with the server's pings every 3 s, so the link stays up. */
  const wait = (ms: number): void => {
    for (let left = ms; left > 0; left -= 3000) {
      mock.timers.tick(Math.min(3000, left));
      socket().frame({ type: "ping", message: Date.now() });
    }
  };
  return { store, connect, send, actions, wait };
}

/** Lets the fetches started by the store settle. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => queueMicrotask(resolve));
  await new Promise<void>((resolve) => setImmediate(resolve));
};

test("the store loads counts and labels, then keeps them live", async () => {
  const { store, connect, send } = inbox();
  store.start();
  connect();
  await settle();
  assert.deepEqual(store.state.viewCounts, { mine: 0, unassigned: 3, all: 4 });
  assert.deepEqual(
    store.state.labels.map((l) => l.name),
    ["Billing", "vip"],
  );
  send({ type: "view_counts", counts: { mine: 1, unassigned: 2, all: 4 } });
  assert.deepEqual(store.state.viewCounts, { mine: 1, unassigned: 2, all: 4 });
  send({ type: "labels_updated", labels: [label(3, "Zeta"), label(4, "alpha")] });
  assert.deepEqual(
    store.state.labels.map((l) => l.name),
    ["alpha", "Zeta"],
  );
  send({ type: "conversation_updated", conversation: conversation(7, { label_ids: [3] }) });
  assert.deepEqual(store.state.conversations.get(7)?.label_ids, [3]);
  store.stop();
});

test("availability: the switch sends set_availability, agent_availability updates the team and me", () => {
  const { store, connect, send, actions } = inbox();
  store.start();
  connect();
  assert.equal(store.setAvailability("away"), true);
  assert.deepEqual(actions().at(-1), { action: "set_availability", availability: "away" });
  assert.equal(store.state.me.chosen_availability, "away");
  send({ type: "agent_availability", agent_id: ME, availability: "away", chosen_availability: "away" });
  assert.equal(store.state.me.availability, "away");
  send({ type: "agent_availability", agent_id: 2, availability: "online", chosen_availability: "online" });
  assert.equal(store.state.me.availability, "away", "another agent's change is not mine");
  store.stop();
});

test("states and labels go out as set_state and set_labels", () => {
  const { store, connect, actions } = inbox();
  store.start();
  connect();
  store.setState(5, "snoozed", null);
  store.setState(5, "snoozed", "2026-06-04T07:00:00.000Z");
  store.setState(5, "pending");
  store.setState(5, "resolved");
  store.setLabels(5, [1, 2]);
  assert.deepEqual(actions().slice(-5), [
    { action: "set_state", conversation_id: 5, state: "snoozed", snoozed_until: null },
    { action: "set_state", conversation_id: 5, state: "snoozed", snoozed_until: "2026-06-04T07:00:00.000Z" },
    { action: "set_state", conversation_id: 5, state: "pending" },
    { action: "set_state", conversation_id: 5, state: "resolved" },
    { action: "set_labels", conversation_id: 5, label_ids: [1, 2] },
  ]);
  store.stop();
});

test("activity goes out on input at most every ACTIVITY_INTERVAL_MS, and never while hidden", () => {
  const { store, connect, actions, wait } = inbox();
  store.start();
  connect();
  const sentActivities = (): number => actions().filter((a) => a.action === "activity").length;
  store.activity();
  store.activity();
  assert.equal(sentActivities(), 1);
  wait(ACTIVITY_INTERVAL_MS - 1);
  store.activity();
  assert.equal(sentActivities(), 1);
  wait(1);
  store.activity();
  assert.equal(sentActivities(), 2);
  store.stop();

  const hidden = inbox(false);
  hidden.store.start();
  hidden.connect();
  hidden.store.activity();
  assert.equal(hidden.actions().filter((a) => a.action === "activity").length, 0);
  hidden.store.stop();
});

test("general settings: round-robin, its cap and the idle minutes go in the PATCH only when changed", () => {
  const settings = ownerSettings();
  const keys = ["auto_assign_cap", "away_after_idle_minutes"] as const;
  const draft = settingsDraft(settings);
  assert.equal(draft.auto_assign, "off");
  assert.equal(draft.away_after_idle_minutes, "10");
  assert.deepEqual(settingsChanges(settings, draft, new Set(), keys), { changes: {} });
  assert.deepEqual(
    settingsChanges(
      settings,
      { ...draft, auto_assign: "round_robin", auto_assign_cap: "5" },
      new Set(),
      keys,
    ),
    { changes: { auto_assign: "round_robin", auto_assign_cap: 5 } },
  );
  assert.deepEqual(settingsChanges(settings, { ...draft, away_after_idle_minutes: "x" }, new Set(), keys), {
    invalid: "away_after_idle_minutes",
  });
});
