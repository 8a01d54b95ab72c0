/**
 * A whole conversation through the stock @rails/actioncable client: a visitor writes, an agent
 * sees it live and answers, every seed action and message type of protocol §3–4.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

describe("a conversation between a visitor and an agent", () => {
  let server: TestServer;
  const consumers: Consumer[] = [];
  const consumer = (options: Parameters<typeof createConsumer>[1] = {}) => {
    const created = createConsumer(server.url, options);
    consumers.push(created);
    return created;
  };

  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    for (const each of consumers) each.disconnect();
    await server.dispose();
  });

  it("delivers messages both ways, with history, read receipts, typing and availability", async () => {
    const cookie = await login(server.url);
    const agent = new RecordingSubscription(consumer({ cookie }), { channel: "AdminChannel" });
    const conversations = await agent.next((m) => m.type === "conversations");
    assert.deepEqual(conversations.conversations, []);

    const token = visitorToken();
    const visitor = new RecordingSubscription(consumer({ token }), { channel: "VisitorChannel" });
    await visitor.until(() => visitor.confirmed);
    const availability = await visitor.next((m) => m.type === "availability");
    assert.equal(availability.online, true);
    assert.equal(visitor.ofType("history").length, 0, "no history before the first message");

    visitor.perform("send_message", { content: "  Hello, is anyone there?  ", visitor_name: "Ada" });
    const echo = await visitor.next((m) => m.type === "message");
    const message = echo.message as Record<string, unknown>;
    assert.equal(message.content, "Hello, is anyone there?");
    assert.equal(message.sender, "visitor");
    assert.equal(typeof message.id, "number");
    assert.match(String(message.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    const seen = await agent.next((m) => m.type === "new_message");
    assert.equal(seen.visitor_name, "Ada");
    assert.deepEqual(seen.message, message);
    const conversationId = seen.conversation_id as number;

    visitor.perform("typing", { typing: true });
    const typing = await agent.next((m) => m.type === "typing" && m.typing === true);
    assert.deepEqual(typing, {
      type: "typing",
      conversation_id: conversationId,
      typing: true,
      sender: "visitor",
    });

    agent.perform("typing", { conversation_id: conversationId, typing: true });
    const agentTyping = await visitor.next((m) => m.type === "typing");
    assert.equal(agentTyping.typing, true);
    assert.deepEqual((agentTyping.agent as { name: string }).name, "owner");

    agent.perform("send_message", { conversation_id: conversationId, content: "Hi Ada, how can I help?" });
    const reply = await visitor.next(
      (m) => m.type === "message" && (m.message as { sender: string }).sender === "admin",
    );
    const replyMessage = reply.message as Record<string, unknown>;
    assert.equal(replyMessage.content, "Hi Ada, how can I help?");
    assert.deepEqual((replyMessage.agent as { name: string }).name, "owner");
    assert.ok((replyMessage.id as number) > (message.id as number));

    agent.perform("get_history", { conversation_id: conversationId });
    const history = await agent.next((m) => m.type === "history");
    assert.deepEqual(
      (history.messages as { content: string }[]).map((m) => m.content),
      ["Hello, is anyone there?", "Hi Ada, how can I help?"],
    );

    agent.perform("list_conversations", {});
    const list = await agent.next(
      (m) => m.type === "conversations" && (m.conversations as unknown[]).length === 1,
    );
    const [conversation] = list.conversations as Record<string, unknown>[];
    assert.equal(conversation!.id, conversationId);
    assert.equal(conversation!.unread_count, 1);
    assert.equal(conversation!.visitor_online, true);
    assert.equal(conversation!.session_token, token);
    assert.equal(conversation!.last_message, "Hi Ada, how can I help?", "the seed's preview is text");
    assert.equal((conversation!.latest_message as { id: number }).id, replyMessage.id);

    agent.perform("mark_read", { conversation_id: conversationId });
    const read = await visitor.next((m) => m.type === "read");
    assert.equal(read.up_to_id, replyMessage.id);
    const updated = await agent.next(
      (m) =>
        m.type === "conversation_updated" && (m.conversation as { unread_count: number }).unread_count === 0,
    );
    assert.equal((updated.conversation as { id: number }).id, conversationId);
    assert.equal((updated.conversation as { last_message: unknown }).last_message, "Hi Ada, how can I help?");

    // A second visit of the same visitor gets the history.
    const again = new RecordingSubscription(consumer({ token }), { channel: "VisitorChannel" });
    const replay = await again.next((m) => m.type === "history");
    assert.deepEqual(replay.conversation, { id: conversationId, visitor_name: "Ada" });
    assert.equal((replay.messages as unknown[]).length, 2);
  });
});
