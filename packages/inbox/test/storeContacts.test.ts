/**
 * The store and §12: it fetches a conversation's context, keeps `visitor_page` beside it (live
 * current page), fetches the context again when the conversation's `contact_id` changes, and puts
 * a saved contact into every context that shows it. A scripted socket plays the cable, a stub the
 * REST.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import type { Agent } from "@parley/protocol";
import { fakeSockets } from "../../protocol/src/cable/fakeSocket.js";
import { withLivePages } from "../src/state/visitorContext.js";
import { InboxStore } from "../src/store/inboxStore.js";
import { contact, contextResponse, conversation, pageView } from "./fixtures.js";

const me: Agent = {
  id: 1,
  username: "ada",
  name: "Ada",
  role: "owner",
  avatar_url: null,
  created_at: "2025-01-01T00:00:00.000Z",
  availability: "online",
  chosen_availability: "online",
};
const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

test("context: fetched, joined with visitor_page live, fetched again when the contact changes", async (t) => {
  const asked: { method: string; path: string; body?: string }[] = [];
  let contactOfFive: number | null = null;
  globalThis.fetch = async (input, init) => {
    const path = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = init?.method ?? "GET";
    asked.push({ method, path, ...(typeof init?.body === "string" ? { body: init.body } : {}) });
    if (path === "/conversations/5/context") {
      const who = contactOfFive === null ? null : contact(contactOfFive, { name: "Bo" });
      return Response.json(contextResponse(5, { contact: who }));
    }
    if (path === "/contacts/9" && method === "PATCH")
      return Response.json({ contact: contact(9, { name: "Bo", email: "bo@example.com" }) });
    if (path.startsWith("/sites")) return Response.json({ sites: [] });
    if (path.startsWith("/conversations")) return Response.json({ conversations: [conversation(5)] });
    return Response.json({ agents: [me] });
  };
  const { sockets, create } = fakeSockets();
  const store = new InboxStore(me, {
    cableUrl: "ws://inbox.test/cable",
    createSocket: create,
    sessionEnded: () => undefined,
    openDeleted: () => undefined,
    visitorMessage: () => undefined,
    pageVisible: () => false,
  });
  t.after(() => store.stop());
  store.start();
  await settle();
  const socket = sockets.at(-1)!;
  socket.accept();
  socket.frame({ type: "welcome" });
  const subscribe = socket.sent.find((frame) => frame.command === "subscribe")!;
  socket.frame({ identifier: subscribe.identifier, type: "confirm_subscription" });

  await store.loadContext(5);
  const entry = store.state.contexts.get(5);
  assert.equal(entry?.loading, false);
  assert.equal(entry?.data?.context.current_page?.url, "https://shop.example/");
  assert.equal(entry?.data?.contact, null);

  // The visitor opens another page: the panel's current page is the new one.
  socket.frame({
    identifier: subscribe.identifier,
    message: { type: "visitor_page", conversation_id: 5, page: pageView(3, "/lamps") },
  });
  const shown = withLivePages(store.state.contexts.get(5)!.data!.context, store.state.livePages.get(5));
  assert.equal(shown.current_page?.url, "https://shop.example/lamps");
  assert.equal(shown.pages.length, 2);

  // The visitor is identified: the conversation gets a contact, and the context is asked again.
  const contextAsks = (): number => asked.filter((a) => a.path === "/conversations/5/context").length;
  assert.equal(contextAsks(), 1);
  contactOfFive = 9;
  socket.frame({
    identifier: subscribe.identifier,
    message: { type: "conversation_updated", conversation: conversation(5, { contact_id: 9 }) },
  });
  await settle();
  await settle();
  assert.equal(contextAsks(), 2);
  assert.equal(store.state.contexts.get(5)?.data?.contact?.id, 9);
  // Another update that leaves the contact alone asks nothing.
  socket.frame({
    identifier: subscribe.identifier,
    message: {
      type: "conversation_updated",
      conversation: conversation(5, { contact_id: 9, status: "closed" }),
    },
  });
  await settle();
  assert.equal(contextAsks(), 2);

  // An edit of the contact shows in the context at once, and sends only what changed.
  await store.updateContact(9, { email: "bo@example.com" });
  assert.equal(store.state.contexts.get(5)?.data?.contact?.email, "bo@example.com");
  const patch = asked.find((a) => a.method === "PATCH");
  assert.deepEqual(JSON.parse(patch?.body ?? "null"), { email: "bo@example.com" });
});

test("context: a refusal is kept as the entry's error, and the last answer stays shown", async (t) => {
  let fail = false;
  globalThis.fetch = async (input) => {
    const path = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (path === "/conversations/5/context")
      return fail
        ? Response.json({ error: "Conversation not found", code: "not_found" }, { status: 404 })
        : Response.json(contextResponse(5));
    return Response.json({ sites: [], conversations: [], agents: [me] });
  };
  const { create } = fakeSockets();
  const store = new InboxStore(me, {
    cableUrl: "ws://inbox.test/cable",
    createSocket: create,
    sessionEnded: () => undefined,
    openDeleted: () => undefined,
    visitorMessage: () => undefined,
    pageVisible: () => false,
  });
  t.after(() => store.stop());
  await store.loadContext(5);
  fail = true;
  await store.loadContext(5);
  const entry = store.state.contexts.get(5);
  assert.equal(entry?.error, "Conversation not found");
  assert.equal(entry?.data?.conversation_id, 5);
});
