/**
 * Sites that embed the widget (ALLOWED_ORIGINS) get visitor access only; the agent's cookie
 * counts only from the server's own origin and AGENT_ORIGINS. The attack: a script on an
 * embedding page, in the browser of a logged-in agent, acting as that agent.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openRawCable } from "../support/rawCable.js";
import {
  AGENT_ORIGIN,
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

const FOREIGN_ORIGIN = "https://evil.example";

describe("origins: widget sites versus agents' inboxes", () => {
  let server: TestServer;
  let cookie: string;

  /** A browser's request from a page on `origin`, carrying the agent's cookie as browsers do. */
  const from = (
    origin: string,
    path: string,
    init: { method?: string; json?: unknown; headers?: Record<string, string> } = {},
  ) =>
    fetch(`${server.url}${path}`, {
      method: init.method ?? "GET",
      headers: {
        origin,
        cookie,
        ...(init.json === undefined ? {} : { "content-type": "application/json" }),
        ...init.headers,
      },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
  const preflight = (origin: string, path: string, method: string, headers = "content-type") =>
    fetch(`${server.url}${path}`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": method, "access-control-request-headers": headers },
    });
  const cors = (response: Response) => ({
    origin: response.headers.get("access-control-allow-origin"),
    credentials: response.headers.get("access-control-allow-credentials"),
  });

  /** A conversation for the agents to act on, started by a visitor. */
  async function conversation(): Promise<number> {
    const token = visitorToken();
    const visitor = await openRawCable(server.url, { origin: WIDGET_ORIGIN });
    const id = visitor.subscribe({ channel: "VisitorChannel", token });
    visitor.perform(id, { action: "send_message", content: "hello" });
    await visitor.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
    visitor.close();
    return (await server.store.findConversationByToken(token))!.id;
  }

  /** Subscribes to AdminChannel over a cable opened from `origin` with the agent's cookie. */
  async function adminChannelFrom(origin: string): Promise<string> {
    const cable = await openRawCable(server.url, { origin, cookie });
    try {
      const id = cable.subscribe({ channel: "AdminChannel" });
      const answer = await cable.next(
        (f) => f.identifier === id && typeof f.type === "string" && f.type.endsWith("_subscription"),
      );
      return answer.type as string;
    } finally {
      cable.close();
    }
  }

  before(async () => {
    server = await startTestServer();
    cookie = await login(server.url);
  });
  after(() => server.dispose());

  describe("from a site that only embeds the widget, with a logged-in agent's cookie", () => {
    it("opens the cable as anonymous: AdminChannel is rejected", async () => {
      assert.equal(await adminChannelFrom(WIDGET_ORIGIN), "reject_subscription");
    });

    it("reads nothing as the agent: not logged in, and no CORS for it", async () => {
      for (const path of ["/conversations", "/auth/me", "/agents"]) {
        const response = await from(WIDGET_ORIGIN, path);
        assert.equal(response.status, 401, path);
        assert.deepEqual(cors(response), { origin: null, credentials: null }, path);
      }
      assert.deepEqual(cors(await preflight(WIDGET_ORIGIN, "/conversations", "GET")), {
        origin: null,
        credentials: null,
      });
    });

    it("writes nothing with the cookie: 403, and no preflight lets it try", async () => {
      const id = await conversation();
      const attempts: [string, string, unknown][] = [
        ["DELETE", `/conversations/${id}`, undefined],
        ["POST", "/agents", { username: "mallory", password: "mallory-password" }],
        ["PATCH", "/agents/me", { name: "Mallory" }],
        ["POST", "/auth/login", { username: "owner", password: "a guess at it" }],
        ["DELETE", "/auth/logout", undefined],
        ["PUT", "/agents/1/password", { password: "taken over!" }],
      ];
      for (const [method, path, json] of attempts) {
        const response = await from(WIDGET_ORIGIN, path, { method, json });
        assert.equal(response.status, 403, `${method} ${path}`);
        assert.deepEqual(await response.json(), { error: "Origin not allowed", code: "forbidden" });
        assert.deepEqual(
          cors(await preflight(WIDGET_ORIGIN, path, method)),
          { origin: null, credentials: null },
          `${method} ${path}`,
        );
      }
      assert.ok(await server.store.getConversation(id), "the conversation is still there");
      assert.equal(await server.store.findAgentByUsername("mallory"), undefined);
      assert.equal((await from(AGENT_ORIGIN, "/auth/me")).status, 200, "the session was not ended");
    });

    it("cannot upload as the agent: the cookie alone is not an uploader there", async () => {
      const form = new FormData();
      form.append("file", new Blob(["notes"], { type: "text/plain" }), "notes.txt");
      const response = await fetch(`${server.url}/uploads`, {
        method: "POST",
        body: form,
        headers: { origin: WIDGET_ORIGIN, cookie },
      });
      assert.equal(response.status, 401);
    });
  });

  describe("the widget on that site keeps working", () => {
    it("reads /widget/config with CORS and without credentials", async () => {
      const response = await from(WIDGET_ORIGIN, "/widget/config");
      assert.equal(response.status, 200);
      assert.deepEqual(cors(response), { origin: WIDGET_ORIGIN, credentials: null });
    });

    it("uploads with X-Visitor-Token after a preflight without credentials", async () => {
      const allowed = await preflight(WIDGET_ORIGIN, "/uploads", "POST", "x-visitor-token");
      assert.equal(allowed.status, 204);
      assert.deepEqual(cors(allowed), { origin: WIDGET_ORIGIN, credentials: null });
      const form = new FormData();
      form.append("file", new Blob(["notes"], { type: "text/plain" }), "notes.txt");
      const response = await fetch(`${server.url}/uploads`, {
        method: "POST",
        body: form,
        headers: { origin: WIDGET_ORIGIN, "x-visitor-token": visitorToken() },
      });
      assert.equal(response.status, 201);
      assert.deepEqual(cors(response), { origin: WIDGET_ORIGIN, credentials: null });
    });

    it("talks on VisitorChannel, with the token in the identifier or on the URL", async () => {
      const cable = await openRawCable(server.url, { origin: WIDGET_ORIGIN, cookie });
      const id = cable.subscribe({ channel: "VisitorChannel", token: visitorToken() });
      await cable.next((f) => f.identifier === id && f.type === "confirm_subscription");
      cable.close();
      const seed = await openRawCable(server.url, {
        origin: WIDGET_ORIGIN,
        query: `?token=${visitorToken()}`,
      });
      const seedId = seed.subscribe({ channel: "VisitorChannel" });
      await seed.next((f) => f.identifier === seedId && f.type === "confirm_subscription");
      seed.close();
    });
  });

  describe("from AGENT_ORIGINS (an inbox on another origin, like the old server's admin page)", () => {
    it("logs in, reads and writes with the cookie, with credentialed CORS and preflights", async () => {
      for (const [path, method] of [
        ["/auth/login", "POST"],
        ["/conversations", "GET"],
        ["/conversations/1", "DELETE"],
        ["/agents", "POST"],
      ] as const) {
        const answer = await preflight(AGENT_ORIGIN, path, method);
        assert.equal(answer.status, 204, `${method} ${path}`);
        assert.deepEqual(cors(answer), { origin: AGENT_ORIGIN, credentials: "true" }, `${method} ${path}`);
      }
      const loggedIn = await fetch(`${server.url}/auth/login`, {
        method: "POST",
        headers: { origin: AGENT_ORIGIN, "content-type": "application/json" },
        body: JSON.stringify({ username: "owner", password: "correct horse battery" }),
      });
      assert.equal(loggedIn.status, 200);
      assert.deepEqual(cors(loggedIn), { origin: AGENT_ORIGIN, credentials: "true" });

      const list = await from(AGENT_ORIGIN, "/conversations");
      assert.equal(list.status, 200);
      assert.deepEqual(cors(list), { origin: AGENT_ORIGIN, credentials: "true" });
      const id = await conversation();
      assert.equal((await from(AGENT_ORIGIN, `/conversations/${id}`, { method: "DELETE" })).status, 200);
      const added = await from(AGENT_ORIGIN, "/agents", {
        method: "POST",
        json: { username: "ally", password: "ally-password" },
      });
      assert.equal(added.status, 201);
    });

    it("subscribes to AdminChannel", async () => {
      assert.equal(await adminChannelFrom(AGENT_ORIGIN), "confirm_subscription");
    });
  });

  describe("from the server's own origin (the inbox at /admin)", () => {
    it("is an agent's origin", async () => {
      assert.equal(await adminChannelFrom(server.url), "confirm_subscription");
      assert.equal((await from(server.url, "/conversations")).status, 200);
    });
  });

  describe("from any other origin", () => {
    it("refuses the cable handshake and gives no CORS, not even to the widget's routes", async () => {
      await assert.rejects(openRawCable(server.url, { origin: FOREIGN_ORIGIN }), /403/);
      assert.deepEqual(cors(await from(FOREIGN_ORIGIN, "/widget/config")), {
        origin: null,
        credentials: null,
      });
      assert.equal((await from(FOREIGN_ORIGIN, "/conversations")).status, 401);
      const upload = await preflight(FOREIGN_ORIGIN, "/uploads", "POST", "x-visitor-token");
      assert.deepEqual(cors(upload), { origin: null, credentials: null });
    });
  });
});
