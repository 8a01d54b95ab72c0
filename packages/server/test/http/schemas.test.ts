/**
 * Every route checks its query, params and body against a JSON schema, so what a client sends
 * in the wrong shape (a key given twice, an array, a wrong type, a value far too long) is a 400
 * with a JSON error, and never reaches a handler that would fail on it with a 500.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

interface Probe {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** JSON text, sent as application/json. */
  body?: string;
  /** Sent with a session of its own (a logout must not end the one the other probes use). */
  ownSession?: boolean;
}

const long = (length: number) => "x".repeat(length);
const json = (value: unknown) => JSON.stringify(value);
const VALID_SUBSCRIPTION = { endpoint: "https://fcm.googleapis.com/fcm/send/x", p256dh: "BCD", auth: "abc" };

/** Each must be answered 400. `:id` is replaced by a real conversation's id. */
const BAD: Probe[] = [
  // GET /conversations: duplicated keys, wrong types, values too long.
  ...[
    "q=a&q=b",
    "status=open&status=closed",
    "assignee=me&assignee=unassigned",
    "limit=1&limit=2",
    "before=x&before=y",
  ].map((query) => ({ method: "GET" as const, path: `/conversations?${query}` })),
  ...[
    "limit=abc",
    "limit=0",
    "limit=-1",
    "limit=1.5",
    "limit=99999999999999999",
    "status=weird",
    "assignee=%3Cscript%3E",
  ].map((query) => ({ method: "GET" as const, path: `/conversations?${query}` })),
  { method: "GET", path: `/conversations?q=${long(201)}` },
  { method: "GET", path: `/conversations?before=${long(201)}` },
  { method: "GET", path: `/conversations?assignee=${"1".repeat(17)}` },
  // One conversation, its messages, its deletion.
  ...["abc", "0", "-1", "1e3", "1.5", "1".repeat(17)].flatMap((id) => [
    { method: "GET" as const, path: `/conversations/${id}` },
    { method: "GET" as const, path: `/conversations/${id}/messages` },
    { method: "DELETE" as const, path: `/conversations/${id}` },
  ]),
  ...[
    "before_id=1&before_id=2",
    "before_id=abc",
    "limit=1&limit=2",
    "limit=0",
    `limit=${"9".repeat(17)}`,
  ].map((query) => ({
    method: "GET" as const,
    path: `/conversations/:id/messages?${query}`,
  })),
  { method: "DELETE", path: "/conversations/:id", body: json([1, 2]) },
  { method: "DELETE", path: "/conversations/:id", body: json("x") },
  // Login and logout.
  { method: "POST", path: "/auth/login", body: json([]) },
  { method: "POST", path: "/auth/login", body: json({ username: ["owner"], password: "x" }) },
  { method: "POST", path: "/auth/login", body: json({ username: "owner", password: 12345678 }) },
  { method: "POST", path: "/auth/login", body: json({ username: long(65), password: "password" }) },
  { method: "POST", path: "/auth/login", body: json({ username: "owner", password: long(257) }) },
  { method: "DELETE", path: "/auth/logout", body: json([1]), ownSession: true },
  // The team.
  { method: "POST", path: "/agents", body: json({ username: ["eve"], password: "eve-password" }) },
  { method: "POST", path: "/agents", body: json({ username: "eve", password: 5 }) },
  { method: "POST", path: "/agents", body: json({ username: "eve", password: long(257) }) },
  { method: "POST", path: "/agents", body: json({ username: long(65), password: "eve-password" }) },
  {
    method: "POST",
    path: "/agents",
    body: json({ username: "eve", password: "eve-password", name: { first: "Eve" } }),
  },
  {
    method: "POST",
    path: "/agents",
    body: json({ username: "eve", password: "eve-password", name: long(257) }),
  },
  { method: "POST", path: "/agents", body: json({ username: "eve", password: "eve-password", role: "god" }) },
  { method: "DELETE", path: "/agents/abc" },
  { method: "DELETE", path: `/agents/${"1".repeat(17)}` },
  { method: "DELETE", path: "/agents/2", body: json([2]) },
  { method: "PUT", path: "/agents/abc/password", body: json({ password: "new-password" }) },
  { method: "PUT", path: "/agents/1/password", body: json({ password: ["new-password"] }) },
  { method: "PUT", path: "/agents/1/password", body: json({ password: long(257) }) },
  { method: "PUT", path: "/agents/1/password", body: json([]) },
  { method: "PATCH", path: "/agents/me", body: json({ name: ["Ada"] }) },
  { method: "PATCH", path: "/agents/me", body: json({ name: long(257) }) },
  { method: "PATCH", path: "/agents/me", body: json({ password: 12345678, current_password: "x" }) },
  {
    method: "PATCH",
    path: "/agents/me",
    body: json({ password: "new-password", current_password: long(257) }),
  },
  { method: "PATCH", path: "/agents/me", body: json([]) },
  // Push subscriptions.
  {
    method: "POST",
    path: "/push_subscriptions",
    body: json({ ...VALID_SUBSCRIPTION, endpoint: [VALID_SUBSCRIPTION.endpoint] }),
  },
  { method: "POST", path: "/push_subscriptions", body: json({ ...VALID_SUBSCRIPTION, auth: 5 }) },
  {
    method: "POST",
    path: "/push_subscriptions",
    body: json({ ...VALID_SUBSCRIPTION, endpoint: `https://fcm.googleapis.com/${long(2100)}` }),
  },
  { method: "POST", path: "/push_subscriptions", body: json([VALID_SUBSCRIPTION]) },
  { method: "DELETE", path: "/push_subscriptions", body: json({ endpoint: 5 }) },
  { method: "DELETE", path: "/push_subscriptions", body: json([]) },
  // Files and the widget's scripts.
  { method: "GET", path: "/uploads/1/file?expires=1&expires=2&signature=x" },
  { method: "GET", path: "/uploads/1/file?expires=1&signature=a&signature=b" },
  { method: "GET", path: `/uploads/1/file?expires=1&signature=${long(200)}` },
  { method: "GET", path: `/uploads/1/file?expires=${"1".repeat(20)}&signature=x` },
  { method: "GET", path: `/uploads/${"1".repeat(20)}/file?expires=1&signature=x` },
  { method: "GET", path: `/uploads/1/${long(40)}?expires=1&signature=x` },
  { method: "GET", path: "/widget.js?v=a&v=b" },
  { method: "GET", path: `/widget.js?v=${long(100)}` },
  { method: "GET", path: "/widget-uploads.js?v=a&v=b" },
  { method: "GET", path: "/widget-app.js?v=a&v=b" },
];

/** Every route, for junk it does not read: it may refuse, but never fail. */
const EVERY_ROUTE: Probe[] = [
  { method: "GET", path: "/health" },
  { method: "GET", path: "/up" },
  { method: "GET", path: "/auth/me" },
  { method: "GET", path: "/conversations" },
  { method: "GET", path: "/conversations/:id" },
  { method: "GET", path: "/conversations/:id/messages" },
  { method: "GET", path: "/agents" },
  { method: "PATCH", path: "/agents/me", body: json({ junk: [1, { a: 2 }] }) },
  { method: "PUT", path: "/agents/999999/password", body: json({ password: "new-password", junk: [] }) },
  { method: "DELETE", path: "/agents/999999", body: json({ junk: true }) },
  { method: "GET", path: "/push/vapid_public_key" },
  { method: "POST", path: "/push_subscriptions", body: json({ ...VALID_SUBSCRIPTION, junk: {} }) },
  { method: "DELETE", path: "/push_subscriptions", body: json({ endpoint: "https://x.example", junk: 1 }) },
  { method: "POST", path: "/uploads" },
  { method: "GET", path: "/uploads/1/file" },
  { method: "GET", path: "/uploads/1/thumbnail" },
  { method: "GET", path: "/widget.js" },
  { method: "GET", path: "/widget-uploads.js" },
  { method: "GET", path: "/widget-app.js" },
  { method: "GET", path: "/widget/config" },
  { method: "GET", path: "/" },
  { method: "GET", path: "/admin" },
  { method: "GET", path: "/admin/chats/1" },
  {
    method: "POST",
    path: "/auth/login",
    body: json({ username: "nobody", password: "wrong-password", junk: [1] }),
  },
];
const JUNK_QUERY =
  "zz=1&zz=2&q[]=a&q[]=b&limit=x&limit=y&status=weird&v=a&v=b&expires=x&signature=a&signature=b&before_id=x&before_id=y";

describe("schemas on every route", () => {
  let server: TestServer;
  let cookie: string;
  let conversationId: number;

  const send = async (probe: Probe) => {
    const headers: Record<string, string> = {
      cookie: probe.ownSession === true ? await login(server.url) : cookie,
      origin: server.url,
    };
    if (probe.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${server.url}${probe.path.replace(":id", String(conversationId))}`, {
      method: probe.method,
      headers,
      ...(probe.body === undefined ? {} : { body: probe.body }),
    });
    const text = await response.text();
    return { status: response.status, text, type: response.headers.get("content-type") ?? "" };
  };

  before(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
    const { conversation } = await server.store.createConversation({
      token: visitorToken(),
      visitorName: "Ada",
      createdIp: null,
      siteId: (await server.store.getDefaultSite()).id,
      at: new Date().toISOString(),
    });
    conversationId = conversation.id;
  });
  after(() => server.dispose());

  it("answers 400 with a JSON error to duplicated keys, arrays, wrong types and over-long values", async () => {
    const wrong: string[] = [];
    for (const probe of BAD) {
      const { status, text, type } = await send(probe);
      if (
        status !== 400 ||
        !type.startsWith("application/json") ||
        typeof (JSON.parse(text) as { error?: unknown }).error !== "string"
      ) {
        wrong.push(
          `${probe.method} ${probe.path.slice(0, 80)} ${probe.body?.slice(0, 60) ?? ""} → ${status} ${text.slice(0, 120)}`,
        );
      }
    }
    assert.deepEqual(wrong, []);
  });

  it("never fails on junk a route does not read", async () => {
    const failed: string[] = [];
    for (const probe of EVERY_ROUTE) {
      const separator = probe.path.includes("?") ? "&" : "?";
      const { status, text } = await send({ ...probe, path: `${probe.path}${separator}${JUNK_QUERY}` });
      if (status >= 500) failed.push(`${probe.method} ${probe.path} → ${status} ${text.slice(0, 120)}`);
    }
    assert.deepEqual(failed, []);
  });

  it("still takes a bodiless DELETE, as the old admin page sends it", async () => {
    const { conversation } = await server.store.createConversation({
      token: visitorToken(),
      visitorName: "Bo",
      createdIp: null,
      siteId: (await server.store.getDefaultSite()).id,
      at: new Date().toISOString(),
    });
    const { status, text } = await send({ method: "DELETE", path: `/conversations/${conversation.id}` });
    assert.equal(status, 200, text);
    const other = await login(server.url);
    const logout = await fetch(`${server.url}/auth/logout`, {
      method: "DELETE",
      headers: { cookie: other, origin: server.url },
    });
    assert.equal(logout.status, 200);
  });
});
