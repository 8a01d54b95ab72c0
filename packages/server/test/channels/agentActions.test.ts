/**
 * The (parley) rows of AdminChannel and VisitorChannel through the stock client: close, reopen,
 * assign, paging, presence, availability and typing expiry, seen by two agents at once.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription, type Received } from "../support/cable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

type Conv = {
  id: number;
  status: string;
  assignee_id: number | null;
  visitor_online: boolean;
  visitor_last_seen_at?: string | null;
};
const updated = (predicate: (c: Conv) => boolean) => (m: Received) =>
  m.type === "conversation_updated" && predicate(m.conversation as Conv);

describe("agent actions and presence", () => {
  let server: TestServer;
  const consumers: Consumer[] = [];
  let alice: RecordingSubscription;
  let bob: RecordingSubscription;
  let bobId: number;
  let visitorConsumer: Consumer;
  let visitor: RecordingSubscription;
  let conversationId: number;

  const connect = (options: Parameters<typeof createConsumer>[1]) => {
    const consumer = createConsumer(server.url, options);
    consumers.push(consumer);
    return consumer;
  };

  before(async () => {
    server = await startTestServer();
    const bobAgent = await server.chat.team.add({ username: "bob", password: "bob-password", name: "Bob" });
    bobId = bobAgent.id;
    visitorConsumer = connect({ token: visitorToken() });
    visitor = new RecordingSubscription(visitorConsumer, { channel: "VisitorChannel" });
    await visitor.until(() => visitor.confirmed);
    assert.equal((await visitor.next((m) => m.type === "availability")).online, false);

    alice = new RecordingSubscription(connect({ cookie: await login(server.url) }), {
      channel: "AdminChannel",
    });
    bob = new RecordingSubscription(
      connect({ cookie: await login(server.url, { username: "bob", password: "bob-password" }) }),
      {
        channel: "AdminChannel",
      },
    );
    await alice.until(() => alice.confirmed);
    await bob.until(() => bob.confirmed);
    await visitor.next((m) => m.type === "availability" && m.online === true);

    for (let i = 1; i <= 7; i++) {
      visitor.perform("send_message", { content: `question ${i}` });
      await visitor.until(() => visitor.ofType("message").length === i);
    }
    conversationId = (await alice.next((m) => m.type === "new_message")).conversation_id as number;
  });

  after(async () => {
    for (const consumer of consumers) consumer.disconnect();
    await server.dispose();
  });

  it("pages history backwards with before_id", async () => {
    alice.perform("get_history", { conversation_id: conversationId, limit: 3 });
    const newest = await alice.next((m) => m.type === "history");
    const page1 = newest.messages as { id: number; content: string }[];
    assert.deepEqual(
      page1.map((m) => m.content),
      ["question 5", "question 6", "question 7"],
    );
    assert.equal(newest.has_more, true);
    alice.perform("get_history", { conversation_id: conversationId, limit: 5, before_id: page1[0]!.id });
    const older = await alice.next((m) => m.type === "history" && m !== newest);
    assert.deepEqual(
      (older.messages as { content: string }[]).map((m) => m.content),
      ["question 1", "question 2", "question 3", "question 4"],
    );
    assert.equal(older.has_more, false);
  });

  it("closes, reopens and assigns, and every agent hears of it", async () => {
    alice.perform("close", { conversation_id: conversationId });
    await bob.next(updated((c) => c.status === "closed"));
    alice.perform("reopen", { conversation_id: conversationId });
    await bob.next(updated((c) => c.status === "open"));

    bob.perform("assign", { conversation_id: conversationId });
    await alice.next(updated((c) => c.assignee_id === bobId));
    alice.perform("assign", { conversation_id: conversationId, agent_id: null });
    await bob.next(updated((c) => c.assignee_id === null && bob.ofType("conversation_updated").length >= 4));
    alice.perform("assign", { conversation_id: conversationId, agent_id: 424242 });
    assert.equal((await alice.next((m) => m.type === "error")).error, "Agent not found");

    alice.perform("list_conversations", { status: "closed" });
    const closed = await alice.next(
      (m) => m.type === "conversations" && (m.conversations as unknown[]).length === 0,
    );
    assert.deepEqual(closed.conversations, []);
  });

  it("shows agents' messages to each other with the author's name", async () => {
    bob.perform("send_message", { conversation_id: conversationId, content: "Bob here", client_id: "bob-1" });
    const seen = await alice.next(
      (m) => m.type === "new_message" && (m.message as { content: string }).content === "Bob here",
    );
    assert.deepEqual((seen.message as { agent: unknown }).agent, { id: bobId, name: "Bob" });
    assert.equal((seen.message as { client_id: string }).client_id, "bob-1");
    const toVisitor = await visitor.next(
      (m) => m.type === "message" && (m.message as { sender: string }).sender === "admin",
    );
    assert.deepEqual((toVisitor.message as { agent: unknown }).agent, { id: bobId, name: "Bob" });
  });

  it("expires a visitor's typing after 3 seconds without a refresh", async () => {
    const started = Date.now();
    visitor.perform("typing", {});
    await alice.next((m) => m.type === "typing" && m.typing === true);
    await alice.next((m) => m.type === "typing" && m.typing === false, 6000);
    assert.ok(Date.now() - started >= 2900, "the stop came after the expiry, not at once");
  });

  it("errors on another conversation's actions that do not exist", async () => {
    for (const action of ["mark_read", "close", "get_history", "send_message"]) {
      const before = alice.ofType("error").length;
      alice.perform(action, { conversation_id: 987654, content: "x" });
      await alice.until(() => alice.ofType("error").length > before);
      assert.equal(alice.ofType("error").at(-1)!.error, "Conversation not found");
    }
    alice.perform("send_message", { conversation_id: "drop table", content: "x" });
    await alice.next((m) => m.type === "error" && m.error === "conversation_id must be a positive integer");
  });

  it("tracks the visitor's presence and the agents' availability", async () => {
    visitorConsumer.disconnect();
    const offline = await alice.next(updated((c) => c.id === conversationId && c.visitor_online === false));
    assert.match(String((offline.conversation as Conv).visitor_last_seen_at), /^\d{4}-/);

    const watcher = new RecordingSubscription(connect({ token: visitorToken() }), {
      channel: "VisitorChannel",
    });
    await watcher.next((m) => m.type === "availability" && m.online === true);
    for (const consumer of consumers.slice(1, 3)) consumer.disconnect();
    await watcher.next((m) => m.type === "availability" && m.online === false);
    const config = (await (await fetch(`${server.url}/widget/config`)).json()) as { agents_online: boolean };
    assert.equal(config.agents_online, false);
  });
});
