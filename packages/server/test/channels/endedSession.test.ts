/**
 * A session deleted from the store by someone else (another process: no notice reaches this
 * one) gets nothing done for its socket in the moment before the socket is closed: AdminChannel
 * checks the session before each action and each subscribe.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

const isUnauthorized = (frame: Record<string, unknown>) =>
  frame.type === "disconnect" && frame.reason === "unauthorized";

describe("an agent's session deleted behind the server's back", () => {
  let server: TestServer;
  let conversationId: number;
  const sockets: RawCable[] = [];

  const agentSocket = async (username: string) => {
    const agent = await server.chat.team.add({ username, password: `${username}-password` });
    const socket = await openRawCable(server.url, {
      cookie: await login(server.url, { username, password: `${username}-password` }),
    });
    sockets.push(socket);
    await socket.next((f) => f.type === "welcome");
    return { agent, socket };
  };

  before(async () => {
    server = await startTestServer();
    const visitor = await openRawCable(server.url);
    sockets.push(visitor);
    const id = visitor.subscribe({ channel: "VisitorChannel", token: visitorToken() });
    visitor.perform(id, { action: "send_message", content: "hello" });
    await visitor.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
    conversationId = (await server.store.listConversations({ limit: 1 }))[0]!.id;
  });

  after(async () => {
    for (const socket of sockets) socket.close();
    await server.dispose();
  });

  it("does not perform an action that arrives after the session is gone", async () => {
    const { agent, socket } = await agentSocket("eve");
    const id = socket.subscribe({ channel: "AdminChannel" });
    await socket.next((f) => f.identifier === id && f.type === "confirm_subscription");

    // As another process would: straight in the store, no notice to this server.
    assert.equal((await server.store.deleteSessionsOfAgent(agent.id)).length, 1);
    socket.perform(id, {
      action: "send_message",
      conversation_id: conversationId,
      content: "from a dead session",
    });
    assert.deepEqual(await socket.next(isUnauthorized), {
      type: "disconnect",
      reason: "unauthorized",
      reconnect: false,
    });
    await socket.closed;
    const contents = (await server.store.listMessages(conversationId, { limit: 10 })).map((m) => m.content);
    assert.deepEqual(contents, ["hello"]);
  });

  it("does not subscribe a connection whose session is gone", async () => {
    const { agent, socket } = await agentSocket("mallory");
    await server.store.deleteSessionsOfAgent(agent.id);
    const id = socket.subscribe({ channel: "AdminChannel" });
    await socket.next(isUnauthorized);
    await socket.closed;
    assert.equal(
      socket.frames.filter((f) => f.identifier === id && f.type === "confirm_subscription").length,
      0,
    );
    assert.equal(
      // A ping carries `message` too (the time), and may come at any moment: it is not channel data.
      socket.frames.filter((f) => f.type !== "ping" && f.message !== undefined).length,
      0,
      "no conversations were sent",
    );
  });
});
