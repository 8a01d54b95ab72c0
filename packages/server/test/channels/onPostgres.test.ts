/** The server end to end on Postgres: a conversation, concurrent retries, and a restart. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openRawCable } from "../support/rawCable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { login, startTestServer, visitorToken } from "../support/testServer.js";

const database = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;

describe("server on Postgres", () => {
  if (database === undefined) {
    it("runs a conversation on Postgres", { skip: POSTGRES_SKIP }, () => {});
    return;
  }
  const env = { DATABASE_URL: database.url, RATE_LIMIT_PER_MINUTE: "1000" };

  it("runs a conversation, stores retries once, and survives a restart", async () => {
    try {
      const server = await startTestServer(env);
      assert.equal(server.store.engine, "postgres");
      const token = visitorToken();
      const visitor = await openRawCable(server.url);
      const id = visitor.subscribe({ channel: "VisitorChannel", token });
      await visitor.next((f) => f.type === "confirm_subscription");
      for (let i = 0; i < 10; i++)
        visitor.perform(id, { action: "send_message", content: "same", client_id: "pg-retry" });
      const echo = await visitor.next(
        (f) => (f.message as { type?: string } | undefined)?.type === "message",
      );
      const first = (echo.message as { message: { id: number } }).message.id;

      const agent = await openRawCable(server.url, { cookie: await login(server.url) });
      const adminId = agent.subscribe({ channel: "AdminChannel" });
      const list = await agent.next(
        (f) => (f.message as { type?: string } | undefined)?.type === "conversations",
      );
      const conversation = (list.message as { conversations: { id: number; unread_count: number }[] })
        .conversations[0]!;
      assert.equal(conversation.unread_count, 1);
      await server.close();
      await visitor.closed;

      const restarted = await startTestServer(env, server.storageDir);
      const cookie = await login(restarted.url);
      const agentAgain = await openRawCable(restarted.url, { cookie });
      agentAgain.subscribe({ channel: "AdminChannel" });
      await agentAgain.next((f) => f.type === "confirm_subscription");
      agentAgain.perform(adminId, {
        action: "send_message",
        conversation_id: conversation.id,
        content: "answer from pg",
      });
      await agentAgain.next((f) => (f.message as { type?: string } | undefined)?.type === "new_message");
      const back = await openRawCable(restarted.url);
      back.subscribe({ channel: "VisitorChannel", token, since: first });
      const history = await back.next(
        (f) => (f.message as { type?: string } | undefined)?.type === "history",
      );
      const messages = (history.message as { messages: { id: number; content: string }[] }).messages;
      assert.deepEqual(
        messages.map((m) => m.content),
        ["answer from pg"],
      );
      assert.ok(messages[0]!.id > first);
      assert.equal((await restarted.store.listMessagesSince(0, 100)).length, 2);
      agent.close();
      agentAgain.close();
      back.close();
      await restarted.dispose();
    } finally {
      await database.drop();
    }
  });
});
