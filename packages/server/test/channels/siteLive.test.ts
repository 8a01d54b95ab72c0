/**
 * Changes applied live (protocol §10): a site's change reaches its open widgets (`site_updated`
 * with the new config) and the agents (`site_updated` with the site); the owner's settings apply
 * to the next message, first message and upload, without a restart.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Site, WidgetConfig } from "@parley/protocol";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import {
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

const ORIGIN_A = "https://shop.example";
const ORIGIN_B = "https://docs.example";
type Event = {
  type?: string;
  config?: WidgetConfig;
  site?: Site;
  retry_after_ms?: number;
  message?: unknown;
};
const eventOf = (frame: Record<string, unknown>) => frame.message as Event | undefined;

describe("sites and settings, live", () => {
  let server: TestServer;
  let owner: string;
  const sockets: RawCable[] = [];

  const api = async (path: string, method: string, json?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie: owner, ...(json === undefined ? {} : { "content-type": "application/json" }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: response.status, body: (await response.json()) as { site: Site } };
  };
  /** A visitor's socket subscribed (and confirmed) on the site; returns it and its identifier. */
  const visitor = async (origin: string, site?: string, token = visitorToken()) => {
    const cable = await openRawCable(server.url, { origin });
    sockets.push(cable);
    const key = cable.subscribe({
      channel: "VisitorChannel",
      token,
      ...(site === undefined ? {} : { site }),
    });
    await cable.next((f) => f.identifier === key && f.type === "confirm_subscription");
    return { cable, key };
  };

  before(async () => {
    server = await startTestServer({ UPLOAD_BYTES_PER_IP_MB: "50" });
    owner = await login(server.url);
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await server.dispose();
  });

  it("sends a changed site's new config to its open widgets, and the site to agents", async () => {
    const agent = await openRawCable(server.url, { cookie: owner });
    sockets.push(agent);
    const adminKey = agent.subscribe({ channel: "AdminChannel" });
    await agent.next((f) => f.identifier === adminKey && f.type === "confirm_subscription");

    const created = await api("/sites", "POST", { name: "Shop", allowed_origins: [ORIGIN_A] });
    const siteA = created.body.site;
    const announced = await agent.next((f) => eventOf(f)?.type === "site_updated");
    assert.equal(eventOf(announced)?.site?.id, siteA.id, "a new site reaches the agents");
    const siteB = (await api("/sites", "POST", { name: "Docs", allowed_origins: [ORIGIN_B] })).body.site;

    const onA = await visitor(ORIGIN_A, siteA.key);
    const onB = await visitor(ORIGIN_B, siteB.key);
    const changed = await api(`/sites/${siteA.id}`, "PATCH", {
      widget: { title: "Shop, live", away_message: "Gone fishing" },
    });
    assert.equal(changed.status, 200);
    const frame = await onA.cable.next(
      (f) => f.identifier === onA.key && eventOf(f)?.type === "site_updated",
    );
    const config = eventOf(frame)!.config!;
    assert.equal(config.site_key, siteA.key);
    assert.equal(config.title, "Shop, live");
    assert.equal(config.away_message, "Gone fishing");
    assert.equal(config.agents_online, true, "the owner's inbox is open");
    const toAgents = await agent.next(
      (f) => eventOf(f)?.type === "site_updated" && eventOf(f)?.site?.widget.title === "Shop, live",
    );
    assert.equal(eventOf(toAgents)?.site?.id, siteA.id);

    // Site B's widget hears its own change only.
    await api(`/sites/${siteB.id}`, "PATCH", { widget: { title: "Docs, live" } });
    await onB.cable.next((f) => eventOf(f)?.type === "site_updated");
    const heardByB = onB.cable.frames.filter((f) => eventOf(f)?.type === "site_updated");
    assert.deepEqual(
      heardByB.map((f) => eventOf(f)?.config?.title),
      ["Docs, live"],
    );
  });

  it("applies a new message rate to the next message", async () => {
    const { cable, key } = await visitor(WIDGET_ORIGIN);
    const changed = await fetch(`${server.url}/settings`, {
      method: "PATCH",
      headers: { cookie: owner, "content-type": "application/json" },
      body: JSON.stringify({ rate_limit_per_minute: 2, new_conversations_per_ip_per_hour: 0 }),
    });
    assert.equal(changed.status, 200);
    for (let i = 1; i <= 3; i++)
      cable.perform(key, { action: "send_message", content: `m${i}`, client_id: `c${i}` });
    const refused = await cable.next((f) => eventOf(f)?.type === "too_fast");
    assert.ok((eventOf(refused)?.retry_after_ms ?? 0) > 0);
    assert.equal(cable.frames.filter((f) => eventOf(f)?.type === "message").length, 2);

    await fetch(`${server.url}/settings`, {
      method: "PATCH",
      headers: { cookie: owner, "content-type": "application/json" },
      body: JSON.stringify({ rate_limit_per_minute: 100 }),
    });
    cable.perform(key, { action: "send_message", content: "m4", client_id: "c4" });
    await cable.next(
      (f) => eventOf(f)?.type === "message" && (eventOf(f)?.message as { content?: string }).content === "m4",
    );
  });

  it("applies a new cap on conversations per address to the next first message", async () => {
    await fetch(`${server.url}/settings`, {
      method: "PATCH",
      headers: { cookie: owner, "content-type": "application/json" },
      body: JSON.stringify({ new_conversations_per_ip_per_hour: 1 }),
    });
    const first = await visitor(WIDGET_ORIGIN);
    first.cable.perform(first.key, { action: "send_message", content: "one", client_id: "a" });
    await first.cable.next((f) => eventOf(f)?.type === "message");
    const second = await visitor(WIDGET_ORIGIN);
    second.cable.perform(second.key, { action: "send_message", content: "two", client_id: "b" });
    await second.cable.next((f) => eventOf(f)?.type === "too_fast");
    await fetch(`${server.url}/settings`, {
      method: "PATCH",
      headers: { cookie: owner, "content-type": "application/json" },
      body: JSON.stringify({ new_conversations_per_ip_per_hour: 0 }),
    });
  });

  it("applies a new upload size limit to the next upload", async () => {
    const upload = async () => {
      const form = new FormData();
      // Just over 1 MB, so the body is read (a far larger one is cut off before it is sent).
      form.append("file", new Blob([new Uint8Array(1024 * 1024 + 10_000)], { type: "image/png" }), "big.png");
      return fetch(`${server.url}/uploads`, {
        method: "POST",
        headers: { origin: WIDGET_ORIGIN, "x-visitor-token": visitorToken() },
        body: form,
      });
    };
    await fetch(`${server.url}/settings`, {
      method: "PATCH",
      headers: { cookie: owner, "content-type": "application/json" },
      body: JSON.stringify({ max_upload_mb: 1 }),
    });
    const refused = await upload();
    assert.equal(refused.status, 413);
    assert.match(((await refused.json()) as { error: string }).error, /max 1 MB/);
    await fetch(`${server.url}/settings`, {
      method: "PATCH",
      headers: { cookie: owner, "content-type": "application/json" },
      body: JSON.stringify({ max_upload_mb: 10 }),
    });
    const admitted = await upload();
    assert.notEqual(admitted.status, 413, "past the size check (the zeros are no PNG)");
  });
});
