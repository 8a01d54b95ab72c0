/** Every REST row of protocol §7 against the running server, with its errors. */
import assert from "node:assert/strict";
import { createECDH, randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { openRawCable } from "../support/rawCable.js";
import {
  AGENT_ORIGIN,
  login,
  OWNER,
  startTestServer,
  visitorToken,
  type TestServer,
} from "../support/testServer.js";

describe("REST", () => {
  let server: TestServer;
  let cookie: string;
  let conversationId: number;

  const api = (path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie !== undefined) headers.set("cookie", init.cookie);
    if (init.json !== undefined) headers.set("content-type", "application/json");
    return fetch(`${server.url}${path}`, {
      ...init,
      headers,
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
  };

  before(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
    const visitor = await openRawCable(server.url);
    const id = visitor.subscribe({ channel: "VisitorChannel", token: visitorToken() });
    visitor.perform(id, { action: "send_message", content: "<b>hello</b>", visitor_name: "Grace" });
    await visitor.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
    visitor.close();
    conversationId = (await server.store.listConversations({ limit: 1 }))[0]!.id;
  });
  after(() => server.dispose());

  it("logs in with a session cookie and refuses bad credentials", async () => {
    const ok = await api("/auth/login", { method: "POST", json: OWNER });
    assert.equal(ok.status, 200);
    const body = (await ok.json()) as { ok: boolean; agent: { username: string; role: string } };
    assert.equal(body.ok, true);
    assert.equal(body.agent.role, "owner");
    const setCookie = ok.headers.get("set-cookie")!;
    assert.match(setCookie, /^parley_session=/);
    assert.match(setCookie, /HttpOnly/i);
    assert.match(setCookie, /SameSite=Lax/i);

    const bad = await api("/auth/login", {
      method: "POST",
      json: { username: "owner", password: "wrong password" },
    });
    assert.equal(bad.status, 401);
    assert.deepEqual(await bad.json(), { error: "Invalid credentials" });
    const unknown = await api("/auth/login", {
      method: "POST",
      json: { username: "nobody", password: "whatever1" },
    });
    assert.equal(unknown.status, 401);
  });

  it("lists conversations with their last message, and their messages", async () => {
    const list = await api("/conversations", { cookie });
    assert.equal(list.status, 200);
    const { conversations } = (await list.json()) as { conversations: Record<string, unknown>[] };
    assert.equal(conversations.length, 1);
    assert.equal(conversations[0]!.visitor_name, "Grace");
    assert.equal(conversations[0]!.last_message, "<b>hello</b>", "the seed's preview is text");
    assert.equal((conversations[0]!.latest_message as { content: string }).content, "<b>hello</b>");
    for (const key of [
      "id",
      "session_token",
      "unread_count",
      "updated_at",
      "created_at",
      "status",
      "assignee_id",
      "visitor_online",
    ]) {
      assert.ok(key in conversations[0]!, `conversation has ${key}`);
    }
    const messages = await api(`/conversations/${conversationId}/messages`, { cookie });
    const body = (await messages.json()) as { messages: { content: string; sender: string }[] };
    assert.deepEqual(
      body.messages.map((m) => [m.sender, m.content]),
      [["visitor", "<b>hello</b>"]],
    );
    const single = (await (await api(`/conversations/${conversationId}`, { cookie })).json()) as {
      conversation: { id: number; visitor_name: string; visitor_online: boolean; last_message: unknown };
    };
    assert.equal(single.conversation.id, conversationId);
    assert.equal(single.conversation.last_message, "<b>hello</b>");
    assert.equal(single.conversation.visitor_name, "Grace");
    assert.equal(single.conversation.visitor_online, false);
    assert.equal((await api("/conversations/999999/messages", { cookie })).status, 404);
    assert.equal((await api("/conversations/abc/messages", { cookie })).status, 400);
  });

  it("pages and searches conversations", async () => {
    for (let i = 0; i < 5; i++) {
      await server.store.createConversation({
        token: visitorToken(),
        visitorName: `Page ${i}`,
        createdIp: null,
        siteId: (await server.store.getDefaultSite()).id,
        at: new Date(Date.now() + i).toISOString(),
      });
    }
    const first = (await (await api("/conversations?limit=4", { cookie })).json()) as {
      conversations: { id: number }[];
      next_before?: string;
    };
    assert.equal(first.conversations.length, 4);
    assert.ok(first.next_before);
    const second = (await (
      await api(`/conversations?limit=4&before=${first.next_before}`, { cookie })
    ).json()) as { conversations: { id: number }[]; next_before?: string };
    assert.equal(second.conversations.length, 2);
    assert.equal(second.next_before, undefined);
    const ids = [...first.conversations, ...second.conversations].map((c) => c.id);
    assert.equal(new Set(ids).size, 6);
    const found = (await (await api("/conversations?q=HELLO", { cookie })).json()) as {
      conversations: { id: number }[];
    };
    assert.deepEqual(
      found.conversations.map((c) => c.id),
      [conversationId],
    );
    assert.equal((await api("/conversations?before=garbage", { cookie })).status, 400);
    assert.equal((await api("/conversations?status=weird", { cookie })).status, 400);
  });

  it("requires a session for agent rows", async () => {
    for (const [method, path] of [
      ["GET", "/conversations"],
      ["GET", `/conversations/${conversationId}/messages`],
      ["DELETE", `/conversations/${conversationId}`],
      ["DELETE", "/auth/logout"],
      ["GET", "/agents"],
    ] as const) {
      const response = await api(path, { method });
      assert.equal(response.status, 401, `${method} ${path}`);
      assert.deepEqual(await response.json(), { error: "Not logged in" });
    }
    assert.equal((await api("/conversations", { cookie: "parley_session=forged.value" })).status, 401);
  });

  it("stores and removes push subscriptions", async () => {
    const browserKey = createECDH("prime256v1");
    browserKey.generateKeys();
    const subscription = {
      endpoint: "https://fcm.googleapis.com/fcm/send/abc",
      p256dh: browserKey.getPublicKey().toString("base64url"),
      auth: randomBytes(16).toString("base64url"),
    };
    const created = await api("/push_subscriptions", { method: "POST", cookie, json: subscription });
    assert.equal(created.status, 201);
    assert.deepEqual(await created.json(), { ok: true });
    const agentId = (await server.store.findAgentByUsername("owner"))!.id;
    assert.equal((await server.store.listPushSubscriptions(agentId)).length, 1);
    const bad = await api("/push_subscriptions", {
      method: "POST",
      cookie,
      json: { ...subscription, endpoint: "http://10.0.0.1/x" },
    });
    assert.equal(bad.status, 400);
    const missing = await api("/push_subscriptions", {
      method: "POST",
      cookie,
      json: { endpoint: "https://x.example" },
    });
    assert.equal(missing.status, 400);
    const removed = await api("/push_subscriptions", {
      method: "DELETE",
      cookie,
      json: { endpoint: subscription.endpoint },
    });
    assert.deepEqual(await removed.json(), { ok: true });
    assert.equal((await server.store.listPushSubscriptions(agentId)).length, 0);
  });

  it("answers malformed and oversized bodies with JSON errors", async () => {
    const malformed = await api("/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{nope",
    });
    assert.equal(malformed.status, 400);
    assert.equal(typeof ((await malformed.json()) as { error: string }).error, "string");
    const wrongTypes = await api("/auth/login", {
      method: "POST",
      json: { username: { $ne: null }, password: 1 },
    });
    assert.equal(wrongTypes.status, 400);
    const huge = await api("/auth/login", {
      method: "POST",
      json: { username: "x", password: "y".repeat(100_000) },
    });
    assert.equal(huge.status, 413);
    assert.deepEqual(await huge.json(), { error: "Request body too large" });
    const notFound = await api("/nope");
    assert.equal(notFound.status, 404);
    assert.deepEqual(await notFound.json(), { error: "Not found" });
  });

  it("refuses writes from foreign origins and allows credentialed CORS only for agent origins", async () => {
    const foreign = await api("/auth/login", {
      method: "POST",
      json: OWNER,
      headers: { origin: "https://evil.example" },
    });
    assert.equal(foreign.status, 403);
    assert.deepEqual(await foreign.json(), { error: "Origin not allowed" });
    const foreignDelete = await api(`/conversations/${conversationId}`, {
      method: "DELETE",
      cookie,
      headers: { origin: "https://evil.example" },
    });
    assert.equal(foreignDelete.status, 403);

    const preflight = await api("/auth/login", {
      method: "OPTIONS",
      headers: {
        origin: AGENT_ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    assert.equal(preflight.headers.get("access-control-allow-origin"), AGENT_ORIGIN);
    assert.equal(preflight.headers.get("access-control-allow-credentials"), "true");
    const evilPreflight = await api("/auth/login", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    assert.equal(evilPreflight.headers.get("access-control-allow-origin"), null);
    const allowed = await api("/auth/login", {
      method: "POST",
      json: OWNER,
      headers: { origin: AGENT_ORIGIN },
    });
    assert.equal(allowed.status, 200);
  });

  it("lets owners manage agents and keeps agents out of it", async () => {
    const created = await api("/agents", {
      method: "POST",
      cookie,
      json: { username: "bob", password: "bob-password-1", name: "Bob" },
    });
    assert.equal(created.status, 201);
    const { agent } = (await created.json()) as { agent: { id: number; role: string; name: string } };
    assert.equal(agent.role, "agent");
    assert.equal(
      (await api("/agents", { method: "POST", cookie, json: { username: "bob", password: "another-pass" } }))
        .status,
      409,
    );
    assert.equal(
      (await api("/agents", { method: "POST", cookie, json: { username: "weak", password: "short" } }))
        .status,
      400,
    );

    const bobCookie = await login(server.url, { username: "bob", password: "bob-password-1" });
    const list = (await (await api("/agents", { cookie: bobCookie })).json()) as {
      agents: { username: string }[];
    };
    assert.deepEqual(list.agents.map((a) => a.username).sort(), ["bob", "owner"]);
    assert.equal(
      (
        await api("/agents", {
          method: "POST",
          cookie: bobCookie,
          json: { username: "eve", password: "eve-password" },
        })
      ).status,
      403,
    );
    assert.equal((await api(`/agents/${agent.id}`, { method: "DELETE", cookie: bobCookie })).status, 403);

    const renamed = await api("/agents/me", { method: "PATCH", cookie: bobCookie, json: { name: "Robert" } });
    assert.equal(((await renamed.json()) as { agent: { name: string } }).agent.name, "Robert");

    // Removing bob ends his session at once, sockets included.
    const bobCable = await openRawCable(server.url, { cookie: bobCookie });
    bobCable.subscribe({ channel: "AdminChannel" });
    await bobCable.next((f) => f.type === "confirm_subscription");
    assert.deepEqual(await (await api(`/agents/${agent.id}`, { method: "DELETE", cookie })).json(), {
      ok: true,
    });
    await bobCable.next((f) => f.type === "disconnect" && f.reason === "unauthorized");
    assert.equal((await api("/conversations", { cookie: bobCookie })).status, 401);
  });

  it("logs out: the cookie is refused afterwards and the agent's sockets are closed", async () => {
    const session = await login(server.url);
    const cable = await openRawCable(server.url, { cookie: session });
    cable.subscribe({ channel: "AdminChannel" });
    await cable.next((f) => f.type === "confirm_subscription");
    const out = await api("/auth/logout", { method: "DELETE", cookie: session });
    assert.deepEqual(await out.json(), { ok: true });
    const frame = await cable.next((f) => f.type === "disconnect");
    assert.deepEqual(frame, { type: "disconnect", reason: "unauthorized", reconnect: false });
    assert.equal((await api("/conversations", { cookie: session })).status, 401);
    const reconnect = await openRawCable(server.url, { cookie: session });
    const id = reconnect.subscribe({ channel: "AdminChannel" });
    await reconnect.next((f) => f.identifier === id && f.type === "reject_subscription");
    reconnect.close();
    // Another session of the same agent is untouched.
    assert.equal((await api("/conversations", { cookie })).status, 200);
  });

  it("limits login attempts per address and username with 429 and Retry-After", async () => {
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) {
      last = await api("/auth/login", {
        method: "POST",
        json: { username: "target", password: `guess-${i}` },
      });
    }
    assert.equal(last!.status, 429);
    assert.ok(Number(last!.headers.get("retry-after")) > 0);
    assert.match(((await last!.json()) as { error: string }).error, /Too many login attempts/);
  });

  it("deletes a conversation and tells the agents", async () => {
    const cable = await openRawCable(server.url, { cookie });
    cable.subscribe({ channel: "AdminChannel" });
    await cable.next((f) => f.type === "confirm_subscription");
    const deleted = await api(`/conversations/${conversationId}`, { method: "DELETE", cookie });
    assert.deepEqual(await deleted.json(), { ok: true });
    const event = await cable.next(
      (f) => (f.message as { type?: string } | undefined)?.type === "conversation_deleted",
    );
    assert.deepEqual(event.message, { type: "conversation_deleted", conversation_id: conversationId });
    assert.equal((await api(`/conversations/${conversationId}`, { method: "DELETE", cookie })).status, 404);
    assert.equal((await server.store.listMessages(conversationId, { limit: 10 })).length, 0);
    cable.close();
  });

  it("reports health, and readiness from the database", async () => {
    const health = (await (await api("/health")).json()) as { status: string; uptime: number };
    assert.equal(health.status, "ok");
    assert.equal(typeof health.uptime, "number");
    assert.equal((await api("/up")).status, 200);
    assert.equal(((await (await api("/widget/config")).json()) as { title: string }).title, "Chat with us");
  });
});

describe("/up without a database", () => {
  it("answers 503 when the database cannot be reached", async () => {
    const server = await startTestServer();
    await server.store.close();
    const response = await fetch(`${server.url}/up`);
    assert.equal(response.status, 503);
    await server.close().catch(() => {});
  });
});
