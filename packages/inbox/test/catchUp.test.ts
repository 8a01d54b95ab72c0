/**
 * The inbox chimes for news, not for the replay after a reconnect: the replay runs from the
 * subscription's confirmation to the server's `caught_up`, however long it takes, and a message
 * right after it is news however soon it comes. A scripted socket plays the server.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";
import { ADMIN_CHANNEL, type AdminEvent, type Agent } from "@parley/protocol";
import { fakeSockets, type FakeSocket } from "../../protocol/src/cable/fakeSocket.js";
import { InboxStore } from "../src/store/inboxStore.js";
import { message } from "./fixtures.js";

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

beforeEach(() => {
  mock.timers.enable({ apis: ["setTimeout"] });
  // REST is not what this is about: every request fails, which the store shrugs off.
  globalThis.fetch = async () => new Response(JSON.stringify({ error: "not here" }), { status: 503 });
});
afterEach(() => {
  mock.timers.reset();
  globalThis.fetch = realFetch;
});

function inbox() {
  const { sockets, create } = fakeSockets();
  const chimes: number[] = [];
  const store = new InboxStore(me, {
    cableUrl: "ws://inbox.test/cable",
    createSocket: create,
    sessionEnded: () => undefined,
    openDeleted: () => undefined,
    visitorMessage: (_conversationId, m) => chimes.push(m.id),
    pageVisible: () => false,
  });
  const socket = (): FakeSocket => sockets.at(-1)!;
  /** Accepts the connection and confirms the subscription it asks for; returns that identifier. */
  const connect = (): Record<string, unknown> => {
    socket().accept();
    socket().frame({ type: "welcome" });
    const subscribe = socket().sent.find((frame) => frame.command === "subscribe")!;
    socket().frame({ identifier: subscribe.identifier, type: "confirm_subscription" });
    return JSON.parse(subscribe.identifier as string) as Record<string, unknown>;
  };
  const send = (event: AdminEvent): void => {
    const subscribe = socket().sent.find((frame) => frame.command === "subscribe")!;
    socket().frame({ identifier: subscribe.identifier, message: event });
  };
  const visitorWrote = (id: number): AdminEvent => ({
    type: "new_message",
    conversation_id: 5,
    visitor_name: "Vera",
    message: message(id),
  });
  return { store, chimes, socket, connect, send, visitorWrote };
}

test("a slow replay after a reconnect is silent until caught_up, and the next message chimes at once", () => {
  const { store, chimes, socket, connect, send, visitorWrote } = inbox();
  store.start();
  assert.deepEqual(connect(), { channel: ADMIN_CHANNEL });
  send({ type: "conversations", conversations: [] });
  send({ type: "caught_up", last_id: 10 });
  send(visitorWrote(11));
  assert.deepEqual(chimes, [11], "live after the first subscribe");

  socket().drop();
  mock.timers.tick(30_000); // the reconnect's backoff, whatever it is
  assert.deepEqual(connect(), { channel: ADMIN_CHANNEL, since: 11 });
  send({ type: "conversations", conversations: [] });
  send(visitorWrote(12));
  mock.timers.tick(5_000); // a long catch-up: a big backlog, a slow link
  send(visitorWrote(13));
  assert.deepEqual(chimes, [11], "replayed messages are not news");
  send({ type: "caught_up", last_id: 13 });
  send(visitorWrote(14));
  assert.deepEqual(chimes, [11, 14], "the first live message chimes, however soon");
  store.stop();
});

test("a reconnect resumes from caught_up's last_id when nothing came live before it", () => {
  const { store, socket, connect, send } = inbox();
  store.start();
  connect();
  send({ type: "conversations", conversations: [] });
  send({ type: "caught_up", last_id: 42 });
  socket().drop();
  mock.timers.tick(30_000);
  assert.deepEqual(connect(), { channel: ADMIN_CHANNEL, since: 42 });
  store.stop();
});
