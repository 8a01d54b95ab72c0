/**
 * The OpenAPI document: it is valid OpenAPI 3.1, every route is in it (or deliberately out of
 * it), and a program that knows only the document carries a whole conversation: every answer of
 * the walk below is checked against the document's schema for its status, so a field the server
 * sends but the document does not name (or the reverse) fails here.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import type { Consumer } from "@rails/actioncable";
import type {
  Agent,
  Conversation,
  ConversationsResponse,
  Message,
  MessagesResponse,
  Site,
  WidgetConfig,
} from "@parley/protocol";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { RouteOptions } from "fastify";
import { describeRoute } from "../../src/http/openapi/document.js";
import { NOT_IN_API, ROUTES } from "../../src/http/openapi/responses.js";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import {
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv2020,
) => void;

interface Operation {
  responses: Record<string, { content?: { "application/json"?: { schema: object } } }>;
  security?: unknown[];
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

describe("OpenAPI document", () => {
  let server: TestServer;
  let document: Document;
  let token: string;
  let cookie: string;
  const consumers: Consumer[] = [];
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const checked: string[] = [];

  /**
   * A typed fetch driven by the document: `path` is the document's template, and the answer
   * must match the schema the document gives for its status.
   */
  async function api<T>(
    method: "get" | "post" | "put" | "patch" | "delete",
    path: string,
    options: {
      params?: Record<string, string | number>;
      query?: string;
      body?: unknown;
      auth?: "token" | "cookie" | "none";
      origin?: string;
    } = {},
  ): Promise<{ status: number; body: T }> {
    const operation = document.paths[path]?.[method];
    assert.ok(operation, `${method.toUpperCase()} ${path} is in the document`);
    const url = path.replace(/\{(\w+)\}/g, (_match, name: string) => String(options.params?.[name]));
    const headers = new Headers();
    if (options.auth === "cookie") headers.set("cookie", cookie);
    else if (options.auth !== "none") headers.set("authorization", `Bearer ${token}`);
    if (options.origin !== undefined) headers.set("origin", options.origin);
    if (options.body !== undefined) headers.set("content-type", "application/json");
    const response = await fetch(`${server.url}${url}${options.query ?? ""}`, {
      method: method.toUpperCase(),
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const body = (await response.json()) as T;
    const status = String(response.status);
    const answer = operation.responses[status] ?? operation.responses[`${status[0]}XX`];
    assert.ok(answer, `${method.toUpperCase()} ${path} documents a ${status} (got ${JSON.stringify(body)})`);
    const schema = answer.content?.["application/json"]?.schema;
    assert.ok(schema, `${method.toUpperCase()} ${path} ${status} has a JSON schema`);
    const validate = ajv.compile({ ...schema, components: document.components });
    assert.ok(
      validate(body),
      `${method.toUpperCase()} ${path} ${status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body)}`,
    );
    checked.push(`${method} ${path} ${status}`);
    return { status: response.status, body };
  }

  before(async () => {
    // Webhooks to loopback are allowed here only so the walk can register one (nothing listens).
    server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE: "true" });
    cookie = await login(server.url);
    const response = await fetch(`${server.url}/api_tokens`, {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "OpenAPI walk", scope: "read_write" }),
    });
    token = ((await response.json()) as { token: string }).token;
    document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Document;
  });
  after(async () => {
    for (const consumer of consumers) consumer.disconnect();
    await server.dispose();
  });

  it("is valid OpenAPI 3.1", async () => {
    assert.equal(document.openapi, "3.1.0");
    const result = await new Validator().validate(
      structuredClone(document) as unknown as Record<string, unknown>,
    );
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
  });

  it("holds every described route, each with its answers and errors, and nothing else", () => {
    const inDocument = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    assert.deepEqual(inDocument.sort(), Object.keys(ROUTES).sort());
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const statuses = Object.keys(operation.responses);
        assert.ok(
          statuses.some((status) => status.startsWith("2")),
          `${method} ${path} has a success answer`,
        );
        assert.ok(statuses.includes("4XX") && statuses.includes("5XX"), `${method} ${path} documents errors`);
      }
    }
    for (const key of NOT_IN_API) assert.ok(!inDocument.includes(key), `${key} stays out`);
  });

  it("refuses to start with a route it cannot describe", () => {
    const route = (method: string, url: string, schema: object): RouteOptions => ({
      method,
      url,
      schema,
      handler: () => undefined,
    });
    assert.throws(
      () => describeRoute(route("GET", "/undescribed", { querystring: {} })),
      /GET \/undescribed is not described/,
    );
    assert.throws(
      () => describeRoute(route("GET", "/sites/:id", { querystring: {} })),
      /no schema for its params/,
    );
    assert.throws(
      () => describeRoute(route("PATCH", "/sites/:id", { querystring: {}, params: {} })),
      /no schema for its body/,
    );
    assert.doesNotThrow(() => describeRoute(route("GET", "/metrics", {})));
  });

  it("carries a whole conversation for a program that knows only the document", async () => {
    // A visitor (the stock client) starts a conversation.
    const visitorSecret = visitorToken();
    const visitorConsumer = createConsumer(server.url, { token: visitorSecret });
    consumers.push(visitorConsumer);
    const visitor = new RecordingSubscription(visitorConsumer, { channel: "VisitorChannel" });
    await visitor.until(() => visitor.confirmed);
    visitor.perform("send_message", { content: "Is the shop open on Sunday?", visitor_name: "Ada" });
    await visitor.next((m) => m.type === "message");

    const me = await api<{ agent: Agent }>("get", "/auth/me");
    assert.equal(me.body.agent.username, "owner");
    await api<{ agents: Agent[] }>("get", "/agents");
    const { body: list } = await api<ConversationsResponse>("get", "/conversations", {
      query: "?status=open",
    });
    const conversation = list.conversations.find((each) => each.visitor_name === "Ada");
    assert.ok(conversation, "the visitor's conversation is listed");
    const id = conversation.id;
    await api<{ conversation: Conversation }>("get", "/conversations/{id}", { params: { id } });
    const history = await api<MessagesResponse>("get", "/conversations/{id}/messages", {
      params: { id },
      query: "?limit=10",
    });
    assert.equal(history.body.messages[0]?.content, "Is the shop open on Sunday?");

    const sent = await api<{ message: Message }>("post", "/conversations/{id}/messages", {
      params: { id },
      body: { content: "Yes, from 10 to 16.", client_id: "walk-1" },
    });
    assert.equal(sent.status, 201);
    const retried = await api<{ message: Message }>("post", "/conversations/{id}/messages", {
      params: { id },
      body: { content: "Yes, from 10 to 16.", client_id: "walk-1" },
    });
    assert.equal(retried.status, 200);
    assert.equal(retried.body.message.id, sent.body.message.id);
    const live = await visitor.next((m) => m.type === "message" && (m.message as Message).sender === "admin");
    assert.equal((live.message as Message).id, sent.body.message.id);

    await api("post", "/conversations/{id}/read", { params: { id } });
    const assigned = await api<{ conversation: Conversation }>("put", "/conversations/{id}/assignee", {
      params: { id },
      body: { agent_id: me.body.agent.id },
    });
    assert.equal(assigned.body.conversation.assignee_id, me.body.agent.id);
    const closed = await api<{ conversation: Conversation }>("post", "/conversations/{id}/close", {
      params: { id },
    });
    assert.equal(closed.body.conversation.status, "closed");
    await api("post", "/conversations/{id}/reopen", { params: { id } });

    // Sites and settings are the inbox's (the cookie's): their answers hold to the document too.
    const sites = await api<{ sites: Site[] }>("get", "/sites", { auth: "cookie" });
    assert.ok(sites.body.sites.some((site) => site.is_default));
    await api("get", "/settings", { auth: "cookie" });
    const config = await api<WidgetConfig>("get", "/widget/config", { auth: "none", origin: WIDGET_ORIGIN });
    assert.equal(typeof config.body.title, "string");

    // The visitor tells who they are (an unverified claim); the contact and the context read back.
    const identified = await api<{ token: string; verified: boolean }>("post", "/widget/identify", {
      auth: "none",
      origin: WIDGET_ORIGIN,
      body: { token: visitorSecret, id: "user-7", email: "ada@example.com", attributes: { plan: "pro" } },
    });
    assert.equal(identified.body.verified, false);
    await api("post", "/widget/contact", {
      auth: "none",
      origin: WIDGET_ORIGIN,
      body: { token: visitorSecret, name: "Ada" },
    });
    const context = await api<{ contact: { id: number } | null }>("get", "/conversations/{id}/context", {
      params: { id },
    });
    assert.ok(context.body.contact, "the conversation's contact is in its context");
    const contactId = context.body.contact.id;
    await api("get", "/contacts", { query: "?q=ada" });
    await api("get", "/contacts/{id}", { params: { id: contactId } });
    await api("patch", "/contacts/{id}", { params: { id: contactId }, body: { attributes: { seats: 3 } } });
    await api("get", "/sites/{id}/identity", { params: { id: 1 }, auth: "cookie" });

    // An owner's program registers a webhook and reads its log: answers hold to the document.
    const hook = await api<{ webhook: { id: number }; secret: string }>("post", "/sites/{id}/webhooks", {
      params: { id: 1 },
      body: { url: "https://127.0.0.1:9/parley", events: ["message.created"] },
    });
    assert.equal(hook.status, 201);
    const hookParams = { id: 1, webhook_id: hook.body.webhook.id };
    await api("get", "/sites/{id}/webhooks", { params: { id: 1 } });
    await api("patch", "/sites/{id}/webhooks/{webhook_id}", { params: hookParams, body: { enabled: false } });
    await api("get", "/sites/{id}/webhooks/{webhook_id}/deliveries", { params: hookParams });
    await api("get", "/sites/{id}/webhooks/{webhook_id}/secret", { params: hookParams });
    await api("delete", "/sites/{id}/webhooks/{webhook_id}", { params: hookParams });

    // Errors have the documented shape too.
    const missing = await api("get", "/conversations/{id}", { params: { id: 999999 } });
    assert.equal(missing.status, 404);
    const anonymous = await api("get", "/conversations", { auth: "none" });
    assert.equal(anonymous.status, 401);
    await api("delete", "/conversations/{id}", { params: { id } });
    assert.ok(checked.length >= 16, checked.join("\n"));
  });

  it("reads as a page for people", async () => {
    const response = await fetch(`${server.url}/api/reference`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /text\/html/);
    assert.match(response.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    const page = await response.text();
    for (const path of Object.keys(document.paths)) assert.ok(page.includes(path), `${path} is on the page`);
    assert.ok(page.includes('id="shape-Conversation"'));
  });
});
