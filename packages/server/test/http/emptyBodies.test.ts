/**
 * An empty body is no body (protocol §7): the seed's frontend sends DELETE with no body and no
 * Content-Type, other HTTP clients send `Content-Type: application/json` and zero bytes. Rails
 * accepts both, so every route must; JSON that is there but broken is still a 400.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openRawCable } from "../support/rawCable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

/** Where an old admin page would live: an agent origin (AGENT_ORIGINS). */
const ORIGIN = "http://admin.example";

/** The two bodiless shapes, and two that carry something that is not JSON. */
const BODILESS: Record<string, HeadersInit> = {
  "no body, no Content-Type": {},
  "Content-Type: application/json, empty body": { "content-type": "application/json" },
  "Content-Type: application/json; charset=utf-8, empty body": {
    "content-type": "application/json; charset=utf-8",
  },
};

describe("requests without a body", () => {
  let server: TestServer;

  const request = (
    method: string,
    path: string,
    options: { cookie?: string; headers?: HeadersInit; body?: string } = {},
  ) => {
    const headers = new Headers(options.headers);
    headers.set("origin", ORIGIN);
    if (options.cookie !== undefined) headers.set("cookie", options.cookie);
    return fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: options.body }),
    });
  };

  /** A visitor's first message starts a conversation; its id. */
  const newConversation = async (): Promise<number> => {
    const token = visitorToken();
    const visitor = await openRawCable(server.url);
    const id = visitor.subscribe({ channel: "VisitorChannel", token });
    visitor.perform(id, { action: "send_message", content: "hello" });
    await visitor.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
    visitor.close();
    return (await server.store.findConversationByToken(token))!.id;
  };

  before(async () => {
    server = await startTestServer({ AGENT_ORIGINS: ORIGIN });
  });
  after(() => server.dispose());

  for (const [shape, headers] of Object.entries(BODILESS)) {
    it(`DELETE /conversations/:id with ${shape} deletes it`, async () => {
      const cookie = await login(server.url);
      const conversationId = await newConversation();
      const response = await request("DELETE", `/conversations/${conversationId}`, { cookie, headers });
      assert.equal(response.status, 200, await response.clone().text());
      assert.deepEqual(await response.json(), { ok: true });
      assert.equal(await server.store.getConversation(conversationId), undefined);
    });

    it(`DELETE /auth/logout with ${shape} ends the session`, async () => {
      const cookie = await login(server.url);
      const response = await request("DELETE", "/auth/logout", { cookie, headers });
      assert.equal(response.status, 200, await response.clone().text());
      assert.deepEqual(await response.json(), { ok: true });
      assert.equal((await request("GET", "/auth/me", { cookie })).status, 401);
    });
  }

  it("a route that needs a body says what is missing, not that JSON is broken", async () => {
    const response = await request("POST", "/auth/login", {
      headers: { "content-type": "application/json" },
      body: "",
    });
    assert.equal(response.status, 400);
    const { error } = (await response.json()) as { error: string };
    assert.notEqual(error, "Request body is not valid JSON");
    assert.match(error, /body/);
  });

  it("malformed JSON that is not empty is still a 400", async () => {
    const cookie = await login(server.url);
    const conversationId = await newConversation();
    for (const body of ["{", "not json", " ", '{"__proto__": {"admin": true}}']) {
      const response = await request("DELETE", `/conversations/${conversationId}`, {
        cookie,
        headers: { "content-type": "application/json" },
        body,
      });
      assert.equal(response.status, 400, `body ${JSON.stringify(body)}`);
      // (The __proto__ one is refused by Fastify's prototype-poisoning guard, which stays on.)
      assert.deepEqual(
        await response.json(),
        { error: "Request body is not valid JSON", code: "invalid_request" },
        `body ${JSON.stringify(body)}`,
      );
    }
    const login400 = await request("POST", "/auth/login", {
      headers: { "content-type": "application/json" },
      body: "{",
    });
    assert.equal(login400.status, 400);
    assert.deepEqual(await login400.json(), {
      error: "Request body is not valid JSON",
      code: "invalid_request",
    });
    assert.notEqual(await server.store.getConversation(conversationId), undefined, "nothing was deleted");
  });
});
