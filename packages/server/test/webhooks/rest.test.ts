/**
 * Webhooks over REST (protocol §13): owners only, by cookie or an owner's API token (reading with
 * any scope, changing and the secret with read_write); a webhook belongs to its site; the
 * delivery log pages newest first; a resend sends the same event again.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  MAX_WEBHOOKS_PER_SITE,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
} from "@parley/protocol";
import { login } from "../support/testServer.js";
import { Owner, Visitor, startTestServer, webhookEnv, type TestServer } from "./harness.js";
import { Receiver, eventually } from "./receiver.js";

describe("webhooks over REST", () => {
  let server: TestServer;
  let owner: Owner;
  let receiver: Receiver;
  let agentCookie: string;

  before(async () => {
    receiver = await Receiver.start();
    server = await startTestServer(webhookEnv());
    owner = await Owner.of(server);
    const agent = await owner.call("POST", "/agents", {
      username: "bo",
      password: "a long password",
      name: "Bo",
    });
    assert.equal(agent.status, 201, JSON.stringify(agent.body));
    agentCookie = await login(server.url, { username: "bo", password: "a long password" });
  });
  after(async () => {
    await server.dispose();
    await receiver.close();
  });

  const token = async (scope: "read" | "read_write", cookie = owner.cookie) => {
    const { status, body } = await owner.call(
      "POST",
      "/api_tokens",
      { name: `t ${scope}`, scope },
      { cookie },
    );
    assert.equal(status, 201);
    return body.token as string;
  };

  it("creates (the secret shown once), lists, reads, changes and deletes a webhook", async () => {
    const response = await fetch(`${server.url}/sites/1/webhooks`, {
      method: "POST",
      headers: { cookie: owner.cookie, "content-type": "application/json" },
      body: JSON.stringify({ url: receiver.url, events: ["message.created", "message.created"] }),
    });
    assert.equal(response.status, 201);
    assert.equal(response.headers.get("cache-control"), "no-store");
    const created = (await response.json()) as { webhook: Webhook; secret: string };
    assert.deepEqual(created.webhook.events, ["message.created"]);
    assert.equal(created.webhook.format, "parley");
    assert.equal(created.webhook.enabled, true);
    assert.equal(created.webhook.site_id, 1);
    assert.equal("secret" in created.webhook, false);
    const id = created.webhook.id;

    const list = await owner.call("GET", "/sites/1/webhooks");
    assert.deepEqual(list.body.webhooks, [created.webhook]);
    assert.equal(JSON.stringify(list.body).includes(created.secret), false, "the list holds no secret");
    const secret = await owner.call("GET", `/sites/1/webhooks/${id}/secret`);
    assert.deepEqual(secret.body, { secret: created.secret });

    const changed = await owner.call("PATCH", `/sites/1/webhooks/${id}`, {
      events: ["conversation.created", "conversation.assigned"],
      enabled: false,
    });
    assert.equal(changed.status, 200);
    const webhook = changed.body.webhook as Webhook;
    assert.deepEqual(webhook.events, ["conversation.created", "conversation.assigned"]);
    assert.equal(webhook.enabled, false);
    assert.equal(webhook.disabled_reason, "disabled by an owner");
    const again = await owner.call("PATCH", `/sites/1/webhooks/${id}`, { enabled: true });
    assert.equal((again.body.webhook as Webhook).disabled_at, null);

    assert.equal((await owner.call("DELETE", `/sites/1/webhooks/${id}`)).status, 200);
    const gone = await owner.call("GET", `/sites/1/webhooks/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.code, "not_found");
  });

  it("refuses bad bodies by schema (unknown events, none, a long URL) and never takes a secret given", async () => {
    const bodies = [
      { url: receiver.url, events: ["message.deleted"] },
      { url: receiver.url, events: [] },
      { url: receiver.url },
      { url: `https://example.com/${"a".repeat(2100)}`, events: ["message.created"] },
      { url: receiver.url, events: ["message.created"], format: "teams" },
      { url: 42, events: ["message.created"] },
    ];
    for (const body of bodies) {
      const answer = await owner.call("POST", "/sites/1/webhooks", body);
      assert.equal(answer.status, 400, JSON.stringify(body));
    }
    // Keys a route does not read are dropped (http/schemas.ts): the secret is always Parley's.
    const given = await owner.call("POST", "/sites/1/webhooks", {
      url: receiver.url,
      events: ["message.created"],
      secret: "whsec_mine",
    });
    assert.equal(given.status, 201);
    assert.notEqual(given.body.secret, "whsec_mine");
    await owner.call("DELETE", `/sites/1/webhooks/${(given.body.webhook as Webhook).id}`);
  });

  it("is for owners only: an agent is refused, a read token reads but neither writes nor sees the secret", async () => {
    const { id } = await owner.createWebhook({ url: receiver.url, events: ["message.created"] });
    try {
      for (const [method, path] of [
        ["GET", "/sites/1/webhooks"],
        ["POST", "/sites/1/webhooks"],
        ["GET", `/sites/1/webhooks/${id}`],
        ["GET", `/sites/1/webhooks/${id}/secret`],
        ["GET", `/sites/1/webhooks/${id}/deliveries`],
        ["DELETE", `/sites/1/webhooks/${id}`],
      ] as const) {
        const json = method === "POST" ? { url: receiver.url, events: ["message.created"] } : undefined;
        const answer = await owner.call(method, path, json, { cookie: agentCookie });
        assert.equal(answer.status, 403, `${method} ${path}`);
      }
      const agentToken = await token("read_write", agentCookie);
      assert.equal(
        (await owner.call("GET", "/sites/1/webhooks", undefined, { token: agentToken })).status,
        403,
      );

      const reader = await token("read");
      assert.equal((await owner.call("GET", "/sites/1/webhooks", undefined, { token: reader })).status, 200);
      const write = await owner.call(
        "POST",
        "/sites/1/webhooks",
        { url: receiver.url, events: ["message.created"] },
        { token: reader },
      );
      assert.equal(write.status, 403);
      const secret = await owner.call("GET", `/sites/1/webhooks/${id}/secret`, undefined, { token: reader });
      assert.equal(secret.status, 403);

      const writer = await token("read_write");
      const made = await owner.call(
        "POST",
        "/sites/1/webhooks",
        { url: receiver.url, events: ["conversation.created"] },
        { token: writer },
      );
      assert.equal(made.status, 201);
      const revealed = await owner.call("GET", `/sites/1/webhooks/${id}/secret`, undefined, {
        token: writer,
      });
      assert.equal(revealed.status, 200);
      await owner.call("DELETE", `/sites/1/webhooks/${(made.body.webhook as Webhook).id}`);
      assert.equal((await owner.call("GET", "/sites/1/webhooks")).status, 200);
      assert.equal((await fetch(`${server.url}/sites/1/webhooks`)).status, 401);
    } finally {
      await owner.call("DELETE", `/sites/1/webhooks/${id}`);
    }
  });

  it("keeps each webhook to its site, and a site to its cap", async () => {
    const site = await owner.call("POST", "/sites", { name: "Second" });
    const siteId = (site.body.site as { id: number }).id;
    const { id } = await owner.createWebhook({ url: receiver.url, events: ["message.created"] });
    try {
      assert.equal((await owner.call("GET", `/sites/${siteId}/webhooks/${id}`)).status, 404);
      assert.equal((await owner.call("GET", `/sites/${siteId}/webhooks/${id}/secret`)).status, 404);
      assert.equal((await owner.call("DELETE", `/sites/${siteId}/webhooks/${id}`)).status, 404);
      assert.equal((await owner.call("GET", `/sites/999999/webhooks`)).status, 404);
      const made: number[] = [];
      for (let index = 0; index < MAX_WEBHOOKS_PER_SITE; index++) {
        made.push((await owner.createWebhook({ url: receiver.url, events: ["message.created"] }, siteId)).id);
      }
      const over = await owner.call("POST", `/sites/${siteId}/webhooks`, {
        url: receiver.url,
        events: ["message.created"],
      });
      assert.equal(over.status, 409);
      for (const hook of made) await owner.call("DELETE", `/sites/${siteId}/webhooks/${hook}`);
    } finally {
      await owner.call("DELETE", `/sites/1/webhooks/${id}`);
    }
  });

  it("pages the delivery log newest first and resends a delivery with the same event id", async () => {
    receiver.received.length = 0;
    const { id, secret } = await owner.createWebhook({ url: receiver.url, events: ["message.created"] });
    try {
      const visitor = await Visitor.connect(server.url);
      for (const content of ["first", "second", "third"]) await visitor.say(content);
      visitor.close();
      await eventually(() => receiver.accepted().length === 3, "three deliveries");
      const log = await eventually(async () => {
        const rows = await owner.deliveries(id);
        return rows.every((row) => row.status === "delivered") && rows;
      }, "the log to say delivered");
      assert.equal(log.length, 3);

      const page1 = await owner.call("GET", `/sites/1/webhooks/${id}/deliveries?limit=2`);
      const rows1 = page1.body.deliveries as WebhookDelivery[];
      assert.equal(rows1.length, 2);
      assert.ok(rows1[0]!.id > rows1[1]!.id, "newest first");
      assert.equal(typeof page1.body.next_cursor, "string");
      const page2 = await owner.call(
        "GET",
        `/sites/1/webhooks/${id}/deliveries?limit=2&before=${String(page1.body.next_cursor)}`,
      );
      const rows2 = page2.body.deliveries as WebhookDelivery[];
      assert.equal(rows2.length, 1);
      assert.equal(page2.body.next_cursor, null);
      const oldest = rows2[0]!;
      assert.equal(oldest.status, "delivered");
      assert.equal(oldest.attempts, 1);
      assert.equal(oldest.response_status, 200);
      assert.equal(oldest.event_type, "message.created");
      assert.equal(typeof oldest.conversation_id, "number");
      assert.equal((await owner.call("GET", `/sites/1/webhooks/${id}/deliveries?limit=0`)).status, 400);

      const resent = await owner.call("POST", `/sites/1/webhooks/${id}/deliveries/${oldest.id}/resend`, {});
      assert.equal(resent.status, 202);
      const copy = (resent.body as { delivery: WebhookDelivery }).delivery;
      assert.notEqual(copy.id, oldest.id);
      assert.equal(copy.event_id, oldest.event_id);
      await eventually(() => receiver.accepted().length === 4, "the resent delivery");
      const [firstBody, , , resentBody] = receiver.received;
      assert.equal(resentBody!.body, firstBody!.body);
      assert.equal(resentBody!.headers["parley-event-id"], oldest.event_id);
      assert.equal((JSON.parse(resentBody!.body) as WebhookEvent).id, oldest.event_id);
      assert.ok(secret.startsWith("whsec_"));
      const missing = await owner.call("POST", `/sites/1/webhooks/${id}/deliveries/999999/resend`, {});
      assert.equal(missing.status, 404);
    } finally {
      await owner.call("DELETE", `/sites/1/webhooks/${id}`);
    }
  });
});
