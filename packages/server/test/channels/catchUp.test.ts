/**
 * Protocol §6: whatever happens to the connection or the server, a client that comes back with
 * `since` gets every message it missed, in id order, once; retried sends store one row.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { openRawCable } from "../support/rawCable.js";
import { login, startTestServer, visitorToken } from "../support/testServer.js";

type Msg = { id: number; content: string; sender: string };

/**
 * Resolves once every frame the server sent `subscription` so far has arrived: a connection's
 * frames are handled in order, so the answer to an unknown action comes after all of them.
 * After the store tail's read (server.flushTail()), nothing more is on its way.
 */
async function everythingSentArrived(subscription: RecordingSubscription): Promise<void> {
  const marker = `barrier_${crypto.randomUUID().slice(0, 8)}`;
  subscription.perform(marker);
  await subscription.next((m) => m.type === "error" && String(m.error).includes(marker));
}

describe("catch-up with since", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const track = (consumer: Consumer): Consumer => {
    cleanups.push(() => consumer.disconnect());
    return consumer;
  };

  it("gives a returning visitor exactly the messages sent while they were away", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.dispose());
    const token = visitorToken();
    const cookie = await login(server.url);
    const agent = new RecordingSubscription(track(createConsumer(server.url, { cookie })), {
      channel: "AdminChannel",
    });
    await agent.until(() => agent.confirmed);

    const first = track(createConsumer(server.url, { token }));
    const visitor = new RecordingSubscription(first, { channel: "VisitorChannel" });
    await visitor.until(() => visitor.confirmed);
    visitor.perform("send_message", { content: "one" });
    const seen = await agent.next((m) => m.type === "new_message");
    const conversationId = seen.conversation_id as number;
    const echo = await visitor.next((m) => m.type === "message");
    const lastHeld = (echo.message as Msg).id;
    first.disconnect();

    for (const content of ["two", "three", "four"]) {
      agent.perform("send_message", { conversation_id: conversationId, content });
    }
    await agent.until(() => agent.ofType("new_message").length === 4);

    const back = new RecordingSubscription(track(createConsumer(server.url, { token })), {
      channel: "VisitorChannel",
      since: lastHeld,
    });
    const history = await back.next((m) => m.type === "history");
    assert.equal(history.since, lastHeld);
    assert.deepEqual(
      (history.messages as Msg[]).map((m) => m.content),
      ["two", "three", "four"],
    );
    agent.perform("send_message", { conversation_id: conversationId, content: "five" });
    await back.next((m) => m.type === "message");
    await server.flushTail();
    await everythingSentArrived(back);
    assert.deepEqual(
      back.ofType("message").map((m) => (m.message as Msg).content),
      ["five"],
    );
  });

  it("gives a returning agent every message after since as new_message, in id order", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.dispose());
    const cookie = await login(server.url);
    const visitors = [visitorToken(), visitorToken()].map(
      (token) =>
        new RecordingSubscription(track(createConsumer(server.url, { token })), {
          channel: "VisitorChannel",
        }),
    );
    await Promise.all(visitors.map((visitor) => visitor.until(() => visitor.confirmed)));
    visitors[0]!.perform("send_message", { content: "before" });
    const before = await visitors[0]!.next((m) => m.type === "message");
    const since = (before.message as Msg).id;
    visitors[1]!.perform("send_message", { content: "missed 1" });
    await visitors[1]!.next((m) => m.type === "message");
    visitors[0]!.perform("send_message", { content: "missed 2" });
    await visitors[0]!.next((m) => (m.message as Msg | undefined)?.content === "missed 2");

    const agent = new RecordingSubscription(track(createConsumer(server.url, { cookie })), {
      channel: "AdminChannel",
      since,
    });
    await agent.until(() => agent.ofType("new_message").length === 2);
    const caughtUp = agent.ofType("new_message").map((m) => (m.message as Msg).content);
    assert.deepEqual(caughtUp, ["missed 1", "missed 2"]);
    const ids = agent.ofType("new_message").map((m) => (m.message as Msg).id);
    assert.ok(ids[0]! < ids[1]!);

    // The replay ends with caught_up; what comes after it is live.
    const done = await agent.next((m) => m.type === "caught_up");
    assert.deepEqual(done, { type: "caught_up", last_id: ids[1] });
    visitors[1]!.perform("send_message", { content: "live" });
    await agent.next((m) => (m.message as Msg | undefined)?.content === "live");
    assert.deepEqual(
      agent.received
        // (§15) Availability changes come whenever they happen: not part of the catch-up's order.
        .filter((m) => m.type !== "agent_availability")
        .map((m) => (m.type === "new_message" ? (m.message as Msg).content : m.type)),
      // (§15) view_counts right after the list.
      ["conversations", "view_counts", "missed 1", "missed 2", "caught_up", "live"],
    );
  });

  it("tells an agent without since that it is caught up at once, at the newest id", async () => {
    const server = await startTestServer();
    cleanups.push(() => server.dispose());
    const cookie = await login(server.url);
    const visitor = new RecordingSubscription(track(createConsumer(server.url, { token: visitorToken() })), {
      channel: "VisitorChannel",
    });
    await visitor.until(() => visitor.confirmed);
    visitor.perform("send_message", { content: "earlier" });
    const earlier = ((await visitor.next((m) => m.type === "message")).message as Msg).id;

    const agent = new RecordingSubscription(track(createConsumer(server.url, { cookie })), {
      channel: "AdminChannel",
    });
    const done = await agent.next((m) => m.type === "caught_up");
    assert.deepEqual(done, { type: "caught_up", last_id: earlier });
    assert.deepEqual(
      agent.received.map((m) => m.type).filter((type) => type !== "agent_availability"),
      ["conversations", "view_counts", "caught_up"],
    );
  });

  it("loses nothing when the server restarts mid-conversation", async () => {
    const server = await startTestServer();
    const token = visitorToken();
    const visitor = await openRawCable(server.url);
    const id = visitor.subscribe({ channel: "VisitorChannel", token });
    visitor.perform(id, { action: "send_message", content: "before restart" });
    const echo = await visitor.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
    const held = (echo.message as { message: Msg }).message.id;

    const closing = server.close();
    const goodbye = await visitor.next((f) => f.type === "disconnect");
    assert.deepEqual(goodbye, { type: "disconnect", reason: "server_restart", reconnect: true });
    await closing;

    // Same storage, same port: what a deploy or crash-restart looks like to clients.
    const restarted = await startTestServer({ PORT: String(server.port) }, server.storageDir);
    cleanups.push(() => restarted.dispose());
    const cookie = await login(restarted.url);
    const agentCable = await openRawCable(restarted.url, { cookie });
    agentCable.subscribe({ channel: "AdminChannel" });
    const list = await agentCable.next(
      (f) => (f.message as { type?: string } | undefined)?.type === "conversations",
    );
    const [conversation] = (list.message as { conversations: { id: number }[] }).conversations;
    const adminId = JSON.stringify({ channel: "AdminChannel" });
    agentCable.perform(adminId, {
      action: "send_message",
      conversation_id: conversation!.id,
      content: "while you were away",
    });
    await agentCable.next((f) => (f.message as { type?: string } | undefined)?.type === "new_message");

    const back = await openRawCable(restarted.url);
    back.subscribe({ channel: "VisitorChannel", token, since: held });
    const history = await back.next((f) => (f.message as { type?: string } | undefined)?.type === "history");
    assert.deepEqual(
      (history.message as { messages: Msg[] }).messages.map((m) => m.content),
      ["while you were away"],
    );
    const all = await restarted.store.listMessages(conversation!.id, { limit: 10 });
    assert.deepEqual(
      all.map((m) => m.content),
      ["before restart", "while you were away"],
    );
    agentCable.close();
    back.close();
  });

  it("stores one row for concurrent sends with one client_id, and answers each", async () => {
    const server = await startTestServer({ RATE_LIMIT_PER_MINUTE: "1000" });
    cleanups.push(() => server.dispose());
    const token = visitorToken();
    const tabs = await Promise.all([1, 2, 3, 4, 5].map(() => openRawCable(server.url)));
    const ids = tabs.map((tab) => tab.subscribe({ channel: "VisitorChannel", token }));
    await Promise.all(tabs.map((tab) => tab.next((f) => f.type === "confirm_subscription")));
    tabs.forEach((tab, i) => {
      for (let attempt = 0; attempt < 4; attempt++) {
        tab.perform(ids[i]!, { action: "send_message", content: "only once", client_id: "retry-me-1" });
      }
    });
    const echoes = await Promise.all(
      tabs.map((tab) => tab.next((f) => (f.message as { type?: string } | undefined)?.type === "message")),
    );
    const echoedIds = new Set(echoes.map((f) => (f.message as { message: Msg }).message.id));
    assert.equal(echoedIds.size, 1, "every tab sees the same stored message");
    const conversation = await server.store.findConversationByToken(token);
    const stored = await server.store.listMessages(conversation!.id, { limit: 100 });
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.clientId, "retry-me-1");
    assert.equal(conversation!.unreadCount, 1);
    for (const tab of tabs) tab.close();
  });

  it("answers a send over the rate limit with too_fast and stores nothing", async () => {
    const server = await startTestServer({ RATE_LIMIT_PER_MINUTE: "3" });
    cleanups.push(() => server.dispose());
    const cable = await openRawCable(server.url);
    const id = cable.subscribe({ channel: "VisitorChannel", token: visitorToken() });
    for (let i = 1; i <= 4; i++)
      cable.perform(id, { action: "send_message", content: `m${i}`, client_id: `c${i}` });
    const tooFast = await cable.next(
      (f) => (f.message as { type?: string } | undefined)?.type === "too_fast",
    );
    const body = tooFast.message as { retry_after_ms: number; client_id: string };
    assert.equal(body.client_id, "c4");
    // The minute opened with the first message: the fourth waits for its end.
    assert.ok(
      body.retry_after_ms > 50_000 && body.retry_after_ms <= 60_000,
      `retry_after_ms ${body.retry_after_ms}`,
    );
    const stored = await server.store.listMessagesSince(0, 100);
    assert.deepEqual(
      stored.map((m) => m.content),
      ["m1", "m2", "m3"],
    );
    cable.close();
  });

  it("caps new conversations per address", async () => {
    const server = await startTestServer({ NEW_CONVERSATIONS_PER_IP_PER_HOUR: "2" });
    cleanups.push(() => server.dispose());
    const results: string[] = [];
    for (let i = 0; i < 3; i++) {
      const cable = await openRawCable(server.url);
      const id = cable.subscribe({ channel: "VisitorChannel", token: visitorToken() });
      cable.perform(id, { action: "send_message", content: "hello" });
      const answer = await cable.next((f) =>
        ["message", "too_fast"].includes((f.message as { type?: string } | undefined)?.type ?? ""),
      );
      results.push((answer.message as { type: string }).type);
      cable.close();
    }
    assert.deepEqual(results, ["message", "message", "too_fast"]);
  });
});
