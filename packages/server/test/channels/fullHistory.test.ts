/**
 * A history asked for without `limit` is the whole conversation up to FULL_HISTORY_CAP, as the
 * seed's server sent it (its clients never page); with `limit` it is a page. The same rule on all
 * three paths: AdminChannel `get_history`, VisitorChannel `history` on subscribe, and
 * `GET /conversations/:id/messages`.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { FULL_HISTORY_CAP, MAX_HISTORY_LIMIT } from "@parley/protocol";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

type Msg = { id: number; content: string };
/** More than the cap, so the cap shows. */
const STORED = FULL_HISTORY_CAP + 5;
const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `Line ${from + i}`);

describe("full history without limit, pages with it", () => {
  let server: TestServer;
  let cookie: string;
  let token: string;
  let conversationId: number;
  const consumers: Consumer[] = [];

  const connect = (options: Parameters<typeof createConsumer>[1]) => {
    const consumer = createConsumer(server.url, options);
    consumers.push(consumer);
    return consumer;
  };

  before(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
    token = visitorToken();
    const base = Date.parse("2025-01-01T00:00:00Z");
    const at = (n: number) => new Date(base + n * 1000).toISOString();
    const { conversation } = await server.store.createConversation({
      token,
      visitorName: "Long",
      createdIp: null,
      siteId: (await server.store.getDefaultSite()).id,
      at: at(0),
    });
    conversationId = conversation.id;
    for (let n = 1; n <= STORED; n++) {
      await server.store.appendMessage({
        conversationId,
        sender: "visitor",
        content: `Line ${n}`,
        clientId: null,
        agentId: null,
        agentName: null,
        at: at(n),
      });
    }
  });

  after(async () => {
    for (const consumer of consumers) consumer.disconnect();
    await server.dispose();
  });

  it("get_history without limit answers the newest FULL_HISTORY_CAP messages, oldest first", async () => {
    const agent = new RecordingSubscription(connect({ cookie }), { channel: "AdminChannel" });
    await agent.until(() => agent.confirmed);
    agent.perform("get_history", { conversation_id: conversationId });
    const full = await agent.next((m) => m.type === "history");
    assert.deepEqual(
      (full.messages as Msg[]).map((m) => m.content),
      lines(STORED - FULL_HISTORY_CAP + 1, STORED),
    );
    assert.equal(full.has_more, true, "older messages exist beyond the cap");

    agent.perform("get_history", { conversation_id: conversationId, limit: 20 });
    const page = await agent.next((m) => m.type === "history" && m !== full);
    assert.deepEqual(
      (page.messages as Msg[]).map((m) => m.content),
      lines(STORED - 19, STORED),
    );
    agent.perform("get_history", { conversation_id: conversationId, limit: 5000 });
    const clamped = await agent.next((m) => m.type === "history" && m !== full && m !== page);
    assert.equal(
      (clamped.messages as Msg[]).length,
      MAX_HISTORY_LIMIT,
      "a limit is a page, at most MAX_HISTORY_LIMIT",
    );
  });

  it("GET /conversations/:id/messages without limit answers the same; with limit, a page", async () => {
    const get = async (query: string) => {
      const response = await fetch(`${server.url}/conversations/${conversationId}/messages${query}`, {
        headers: { cookie },
      });
      assert.equal(response.status, 200);
      return (await response.json()) as { messages: Msg[]; has_more: boolean };
    };
    const full = await get("");
    assert.deepEqual(
      full.messages.map((m) => m.content),
      lines(STORED - FULL_HISTORY_CAP + 1, STORED),
    );
    assert.equal(full.has_more, true);
    const page = await get("?limit=30");
    assert.deepEqual(
      page.messages.map((m) => m.content),
      lines(STORED - 29, STORED),
    );
    const older = await get(`?limit=10&before_id=${page.messages[0]!.id}`);
    assert.deepEqual(
      older.messages.map((m) => m.content),
      lines(STORED - 39, STORED - 30),
    );
  });

  it("the visitor's history on subscribe: the whole conversation up to the cap, or the newest `limit`", async () => {
    // The seed's way: the token on the URL, a bare identifier.
    const seed = new RecordingSubscription(connect({ token }), { channel: "VisitorChannel" });
    const full = await seed.next((m) => m.type === "history");
    assert.deepEqual(
      (full.messages as Msg[]).map((m) => m.content),
      lines(STORED - FULL_HISTORY_CAP + 1, STORED),
    );

    const paged = new RecordingSubscription(connect({}), { channel: "VisitorChannel", token, limit: 25 });
    const page = await paged.next((m) => m.type === "history");
    assert.deepEqual(
      (page.messages as Msg[]).map((m) => m.content),
      lines(STORED - 24, STORED),
    );

    // A catch-up (`since`) brings every message after it, whatever `limit` says.
    const since = (full.messages as Msg[]).at(-41)!.id;
    const back = new RecordingSubscription(connect({}), {
      channel: "VisitorChannel",
      token,
      limit: 3,
      since,
    });
    const missed = await back.next((m) => m.type === "history");
    assert.equal(missed.since, since);
    assert.deepEqual(
      (missed.messages as Msg[]).map((m) => m.content),
      lines(STORED - 39, STORED),
    );
  });
});
