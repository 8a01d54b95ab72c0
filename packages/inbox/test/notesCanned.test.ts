/**
 * §15 in the inbox, the parts without a browser: links in text, canned replies (the `/` query,
 * filtering, variables), mentions (the `@` query, filtering, inserting, finding them in a note),
 * notes beside messages (merge, interleave) and the store's notes over a scripted socket, and
 * the keyboard shortcuts' commands.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import type { CannedReply, Note } from "@parley/protocol";
import { fakeSockets } from "../../protocol/src/cable/fakeSocket.js";
import { canEdit, fillVariables, filterCanned, slashQuery } from "../src/state/canned.js";
import { EMOJI, gridMove } from "../src/state/emoji.js";
import { safeHref, splitLinks } from "@parley/protocol";
import { filterAgents, insertMention, mentionAt, splitMentions } from "../src/state/mentions.js";
import { addNotes, EMPTY_NOTES, interleave, mentionsMe } from "../src/state/notes.js";
import { commandFor, neighbour } from "../src/state/shortcuts.js";
import { agentsOfSite } from "../src/state/siteAgents.js";
import { tabTitle } from "../src/state/title.js";
import { InboxStore } from "../src/store/inboxStore.js";
import { agent, message, site } from "./fixtures.js";

function canned(
  id: number,
  shortcut: string,
  content: string,
  overrides: Partial<CannedReply> = {},
): CannedReply {
  return {
    id,
    scope: "personal",
    shortcut,
    content,
    site_id: null,
    agent_id: 1,
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

function note(id: number, overrides: Partial<Note> = {}): Note {
  return {
    id,
    conversation_id: 7,
    agent: { id: 2, name: "Bea" },
    content: `note ${id}`,
    mention_ids: [],
    created_at: new Date(Date.UTC(2025, 0, 1, 12, 0, id)).toISOString(),
    ...overrides,
  };
}

test("links: http and https become links, trailing punctuation stays text, other schemes stay text", () => {
  assert.deepEqual(splitLinks("See https://example.com/a?b=1. Thanks"), [
    { text: "See " },
    { text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
    { text: ". Thanks" },
  ]);
  assert.deepEqual(splitLinks("(http://en.wikipedia.org/wiki/Lamp_(light))"), [
    { text: "(" },
    { text: "http://en.wikipedia.org/wiki/Lamp_(light)", href: "http://en.wikipedia.org/wiki/Lamp_(light)" },
    { text: ")" },
  ]);
  for (const text of [
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "mailto:a@b.c",
    "ftp://example.com",
    "<a href=x>y</a>",
  ]) {
    assert.ok(
      splitLinks(text).every((segment) => segment.href === undefined),
      `${text} stays text`,
    );
  }
  assert.deepEqual(splitLinks("no links"), [{ text: "no links" }]);
  assert.deepEqual(splitLinks(""), []);
  assert.equal(safeHref("https://"), null);
  assert.equal(safeHref("javascript:alert(1)"), null);
  assert.equal(safeHref("HTTPS://Example.COM"), "https://example.com/");
  // A quote ends the URL: markup around it cannot ride along into the href.
  const [, link] = splitLinks('x https://e.com/"onmouseover="y');
  assert.equal(link?.href, "https://e.com/");
});

test("canned: the / query, filtering by shortcut then content, variables filled", () => {
  assert.equal(slashQuery("/"), "");
  assert.equal(slashQuery("/Sho"), "sho");
  assert.equal(slashQuery("/sho rest"), null, "a space ends the query");
  assert.equal(slashQuery(" /sho"), null, "only at the start");
  assert.equal(slashQuery("hello /sho"), null);
  assert.equal(slashQuery("//"), null);

  const replies = [
    canned(1, "thanks", "Thanks for waiting!"),
    canned(2, "shipping", "Shipping takes 3 days."),
    canned(3, "reship", "We will send another one."),
    canned(4, "hello", "Hi {{visitor.name}}, how can I help with shipping?"),
  ];
  assert.deepEqual(
    filterCanned(replies, "").map((r) => r.shortcut),
    ["hello", "reship", "shipping", "thanks"],
  );
  assert.deepEqual(
    filterCanned(replies, "ship").map((r) => r.shortcut),
    ["shipping", "reship", "hello"],
    "shortcut prefix, then inside the shortcut, then the content",
  );
  assert.deepEqual(
    filterCanned(replies, "SHO").map((r) => r.shortcut),
    [],
  );
  assert.deepEqual(
    filterCanned(replies, "WAIT").map((r) => r.shortcut),
    ["thanks"],
  );

  const context = { visitorName: "Vera", agentName: "Ada", siteName: "Lamp shop" };
  assert.equal(
    fillVariables("Hi {{visitor.name}}, {{agent.name}} of {{ site.name }} here.", context),
    "Hi Vera, Ada of Lamp shop here.",
  );
  assert.equal(
    fillVariables("Hi {{visitor.name}}!", { ...context, visitorName: null }),
    "Hi !",
    "a missing visitor name is empty",
  );
  assert.equal(fillVariables("Hi {{visitor.name}}!", { ...context, visitorName: "  " }), "Hi !");
  assert.equal(
    fillVariables("{{visitor.email}} {{unknown}} {{ agent.name }} {{visitor.name}", context),
    "{{visitor.email}} {{unknown}} Ada {{visitor.name}",
    "unknown or unfinished variables stay as written",
  );
  assert.equal(
    fillVariables("{{visitor.name}}", { ...context, visitorName: "$& {{agent.name}}" }),
    "$& {{agent.name}}",
  );

  const me = { id: 1, role: "agent" };
  assert.equal(canEdit(canned(1, "a", "x"), me), true);
  assert.equal(canEdit(canned(1, "a", "x", { agent_id: 2 }), me), false);
  assert.equal(canEdit(canned(1, "a", "x", { scope: "shared", agent_id: null }), me), false);
  assert.equal(
    canEdit(canned(1, "a", "x", { scope: "shared", agent_id: null }), { id: 1, role: "owner" }),
    true,
  );
});

test("mentions: the @ query at the caret, the site's agents filtered, inserting, and finding them", () => {
  assert.deepEqual(mentionAt("hi @be", 6), { start: 3, query: "be" });
  assert.deepEqual(mentionAt("@", 1), { start: 0, query: "" });
  assert.deepEqual(mentionAt("(@Bea", 5), { start: 1, query: "bea" });
  assert.equal(mentionAt("mail@bea", 8), null, "an @ inside a word is not a mention");
  assert.equal(mentionAt("hi @bea there", 13), null, "the caret is past it");
  assert.deepEqual(mentionAt("hi @bea there", 7), { start: 3, query: "bea" });

  const team = [
    agent(1, { username: "ada", name: "Ada Lovelace" }),
    agent(2, { username: "bea", name: "Beatrix Potter" }),
    agent(3, { username: "carl", name: "Carl Abbey" }),
    agent(4, { username: "dora", name: "Dora" }),
  ];
  assert.deepEqual(
    filterAgents(team, "").map((a) => a.username),
    ["ada", "bea", "carl", "dora"],
  );
  assert.deepEqual(
    filterAgents(team, "b").map((a) => a.username),
    ["bea", "carl"],
    "username or a word of the name starts with it",
  );
  assert.deepEqual(
    filterAgents(team, "or").map((a) => a.username),
    ["dora"],
  );
  assert.deepEqual(
    filterAgents(team, "a", 2).map((a) => a.username),
    ["ada", "carl"],
  );

  // Owners answer every site; agents the sites that name them (or every site when none is named).
  const shop = site(2, { agent_ids: [3] });
  assert.deepEqual(
    agentsOfSite(team, shop).map((a) => a.username),
    ["ada", "carl"],
  );
  assert.deepEqual(
    agentsOfSite(team, site(1, { agent_ids: null })).map((a) => a.username),
    ["ada", "bea", "carl", "dora"],
  );

  assert.deepEqual(insertMention("ask @be now", { start: 4, query: "be" }, 7, "bea"), {
    text: "ask @bea now",
    caret: 9,
  });
  assert.deepEqual(insertMention("@", { start: 0, query: "" }, 1, "carl"), { text: "@carl ", caret: 6 });

  assert.deepEqual(splitMentions("<b>x</b> @bea, and @BEA. @nobody mail@bea", team), [
    { text: "<b>x</b> " },
    { text: "@bea", mention: team[1] },
    { text: ", and " },
    { text: "@BEA", mention: team[1] },
    { text: ". @nobody mail@bea" },
  ]);
});

test("notes: merged by id, settle their pending copy, and sit among the messages by time", () => {
  let thread = addNotes(EMPTY_NOTES, [note(5), note(2)], true);
  assert.deepEqual(
    thread.notes.map((n) => n.id),
    [2, 5],
  );
  thread = {
    ...thread,
    pending: [{ client_id: "c1", content: "x", created_at: "", state: "sending", error: null }],
  };
  thread = addNotes(thread, [note(6, { client_id: "c1" }), note(5, { content: "again" })]);
  assert.deepEqual(
    thread.notes.map((n) => [n.id, n.content]),
    [
      [2, "note 2"],
      [5, "again"],
      [6, "note 6"],
    ],
  );
  assert.equal(thread.pending.length, 0, "the echo settles the pending note");

  const messages = [message(3), message(4), message(7)];
  const kinds = (items: ReturnType<typeof interleave>): string[] =>
    items.map((item) => (item.kind === "message" ? `m${item.message.id}` : `n${item.note.id}`));
  assert.deepEqual(kinds(interleave(messages, thread.notes, false)), ["n2", "m3", "m4", "n5", "n6", "m7"]);
  assert.deepEqual(
    kinds(interleave(messages, thread.notes, true)),
    ["m3", "m4", "n5", "n6", "m7"],
    "a note older than the loaded history waits for it",
  );
  assert.deepEqual(kinds(interleave([], thread.notes, false)), ["n2", "n5", "n6"]);

  assert.equal(mentionsMe(note(1, { mention_ids: [1] }), 1), true);
  assert.equal(mentionsMe(note(1, { mention_ids: [1], agent: { id: 1, name: "Ada" } }), 1), false);
  assert.equal(mentionsMe(note(1, { mention_ids: [3] }), 1), false);
});

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

test("the store asks for notes on open and after a reconnect, adds them live, and tells of mentions", async (t) => {
  globalThis.fetch = async (input) => {
    const path = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const body = path.startsWith("/conversations/7")
      ? { conversation: { id: 7 } }
      : path.startsWith("/conversations")
        ? { conversations: [] }
        : path.startsWith("/sites")
          ? { sites: [] }
          : { agents: [] };
    return new Response(JSON.stringify(body), { status: 200 });
  };
  const me = agent(1, { username: "ada", name: "Ada" });
  const mentioned: Note[] = [];
  const { sockets, create } = fakeSockets();
  const store = new InboxStore(me, {
    cableUrl: "ws://inbox.test/cable",
    createSocket: create,
    sessionEnded: () => undefined,
    openDeleted: () => undefined,
    visitorMessage: () => undefined,
    pageVisible: () => false,
    mentioned: (n) => mentioned.push(n),
  });
  t.after(() => store.stop());
  store.start();
  const socket = sockets.at(-1)!;
  socket.accept();
  socket.frame({ type: "welcome" });
  const subscribe = socket.sent.find((frame) => frame.command === "subscribe")!;
  socket.frame({ identifier: subscribe.identifier, type: "confirm_subscription" });
  const actions = (): Record<string, unknown>[] =>
    socket.sent
      .filter((frame) => frame.command === "message")
      .map((frame) => JSON.parse(String(frame.data)) as Record<string, unknown>);
  const event = (message: unknown): void => socket.frame({ identifier: subscribe.identifier, message });

  store.open(7);
  await settle();
  assert.ok(
    actions().some((a) => a.action === "get_notes" && a.conversation_id === 7),
    JSON.stringify(actions()),
  );
  event({ type: "notes", conversation_id: 7, notes: [note(3)] });
  assert.deepEqual(
    store.notes.thread(7).notes.map((n) => n.id),
    [3],
  );
  assert.equal(store.notes.thread(7).loaded, true);

  // Writing one: shown at once, sent with a client_id, settled by its echo.
  assert.equal(store.notes.add(7, "  <b>x</b> @bea  "), true);
  const added = actions().find((a) => a.action === "add_note")!;
  assert.equal(added.content, "<b>x</b> @bea");
  assert.equal(typeof added.client_id, "string");
  assert.equal(store.notes.thread(7).pending.length, 1);
  event({
    type: "note_created",
    note: note(9, {
      agent: { id: 1, name: "Ada" },
      content: "<b>x</b> @bea",
      client_id: added.client_id as string,
    }),
  });
  assert.equal(store.notes.thread(7).pending.length, 0);
  assert.equal(mentioned.length, 0, "my own note is no news to me");

  // A refusal for that client_id marks a pending note as not saved.
  store.notes.add(7, "second");
  const second = actions()
    .filter((a) => a.action === "add_note")
    .at(-1)!;
  event({ type: "error", error: "Too long", client_id: second.client_id });
  assert.equal(store.notes.thread(7).pending[0]?.state, "failed");
  assert.equal(store.notes.thread(7).pending[0]?.error, "Too long");

  // Someone else mentions me.
  event({ type: "note_created", note: note(10, { mention_ids: [1] }) });
  assert.deepEqual(
    mentioned.map((n) => n.id),
    [10],
  );
  assert.deepEqual([...store.notes.state.mentionedIn], [7], "not looked at: the tab title says so");
  assert.equal(tabTitle(2, true), "(2) @ Parley inbox");
  assert.equal(tabTitle(0, true), "@ Parley inbox");
  store.pageShown();
  assert.equal(store.notes.state.mentionedIn.size, 0, "seen once the page is looked at");
  event({ type: "note_created", note: note(11, { mention_ids: [4] }) });
  assert.equal(mentioned.length, 1);
  assert.deepEqual(
    store.notes.thread(7).notes.map((n) => n.id),
    [3, 9, 10, 11],
  );

  // Notes are not replayed with `since`: a reconnect asks for the open conversation's again.
  const asked = actions().filter((a) => a.action === "get_notes").length;
  socket.drop();
  // The first retries of an outage come within a second.
  for (let waited = 0; sockets.at(-1) === socket && waited < 3000; waited += 50)
    await new Promise((resolve) => setTimeout(resolve, 50));
  const again = sockets.at(-1)!;
  assert.notEqual(again, socket, "reconnected");
  again.accept();
  again.frame({ type: "welcome" });
  const resubscribe = again.sent.find((frame) => frame.command === "subscribe")!;
  again.frame({ identifier: resubscribe.identifier, type: "confirm_subscription" });
  const reasked = again.sent
    .filter((frame) => frame.command === "message")
    .map((frame) => JSON.parse(String(frame.data)) as Record<string, unknown>)
    .filter((a) => a.action === "get_notes" && a.conversation_id === 7);
  assert.equal(reasked.length, 1, `asked ${asked} before, then again once`);
});

test("shortcuts: letters only outside fields, Alt+arrows anywhere, the list's neighbours", () => {
  const key = (k: string, extra: Partial<Parameters<typeof commandFor>[0]> = {}) =>
    commandFor({ key: k, altKey: false, ctrlKey: false, metaKey: false, inField: false, ...extra });
  assert.equal(key("j"), "next");
  assert.equal(key("k"), "previous");
  assert.equal(key("e"), "resolve");
  assert.equal(key("a"), "assign");
  assert.equal(key("/"), "search");
  assert.equal(key("?"), "help");
  assert.equal(key("j", { inField: true }), null);
  assert.equal(key("/", { inField: true }), null);
  assert.equal(key("e", { ctrlKey: true }), null);
  assert.equal(key("ArrowDown", { altKey: true, inField: true }), "next");
  assert.equal(key("ArrowUp", { altKey: true }), "previous");
  assert.equal(key("ArrowDown"), null);
  assert.equal(key("x"), null);

  assert.equal(neighbour([5, 4, 3], null, 1), 5);
  assert.equal(neighbour([5, 4, 3], null, -1), 3);
  assert.equal(neighbour([5, 4, 3], 5, 1), 4);
  assert.equal(neighbour([5, 4, 3], 4, -1), 5);
  assert.equal(neighbour([5, 4, 3], 3, 1), null, "the end stays put");
  assert.equal(neighbour([5, 4, 3], 5, -1), null);
  assert.equal(neighbour([5, 4, 3], 9, 1), 5, "an open conversation not in the list: from the top");
  assert.equal(neighbour([], null, 1), null);
});

test("emoji: about a hundred, each named once; the grid's arrows stay inside it", () => {
  assert.ok(EMOJI.length >= 90 && EMOJI.length <= 120, `${EMOJI.length}`);
  assert.equal(new Set(EMOJI.map(([emoji]) => emoji)).size, EMOJI.length);
  assert.ok(EMOJI.every(([, name]) => name.trim() !== ""));
  const count = 25;
  assert.equal(gridMove("ArrowRight", 0, count, 10), 1);
  assert.equal(gridMove("ArrowLeft", 0, count, 10), 0);
  assert.equal(gridMove("ArrowDown", 3, count, 10), 13);
  assert.equal(gridMove("ArrowDown", 18, count, 10), 18, "no cell below");
  assert.equal(gridMove("ArrowUp", 13, count, 10), 3);
  assert.equal(gridMove("ArrowRight", 24, count, 10), 24);
  assert.equal(gridMove("Home", 17, count, 10), 10);
  assert.equal(gridMove("End", 21, count, 10), 24);
  assert.equal(gridMove("x", 0, count, 10), null);
});
