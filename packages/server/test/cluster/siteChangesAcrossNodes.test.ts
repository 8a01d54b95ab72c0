/**
 * Changes made on one node apply on every node (protocol §10): a site changed through node B
 * reaches a widget connected to node A, and node A serves the site's new origins; owner settings
 * changed through node B hold for visitors on node A; an agent's new name and photo reach node
 * A's widget config (§14). Two servers in this process on one Postgres
 * schema and a private redis-server. Runs when TEST_DATABASE_URL and TEST_REDIS_URL are set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import type { Agent, OwnerSettingsResponse, Site, WidgetConfig } from "@parley/protocol";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startRedis, type RedisProcess } from "../support/processes.js";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import {
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

const clustered = Boolean(process.env.TEST_DATABASE_URL) && Boolean(process.env.TEST_REDIS_URL);
const ORIGIN = "https://shop.example";
const NEW_ORIGIN = "https://new-shop.example";
type Event = { type?: string; config?: WidgetConfig };
const eventOf = (frame: Record<string, unknown>) => frame.message as Event | undefined;

/** Polls `check` until it answers (a notice crosses Redis, then a node reads the store). */
async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe(
  "site and settings changes across nodes",
  { skip: clustered ? false : "skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run the cluster suite" },
  () => {
    let database: PostgresSchema;
    let redis: RedisProcess;
    let a: TestServer;
    let b: TestServer;
    let ownerB: string;
    let site: Site;
    const sockets: RawCable[] = [];

    const onB = async (path: string, method: string, json: unknown) => {
      const response = await fetch(`${b.url}${path}`, {
        method,
        headers: { cookie: ownerB, "content-type": "application/json" },
        body: JSON.stringify(json),
      });
      assert.ok(response.ok, `${method} ${path}: ${response.status}`);
      return response.json() as Promise<{ site: Site }>;
    };

    before(async () => {
      database = (await postgresSchema())!;
      redis = await startRedis();
      const env = { DATABASE_URL: database.url, REDIS_URL: redis.url };
      a = await startTestServer(env);
      b = await startTestServer(env);
      ownerB = await login(b.url);
      site = (await onB("/sites", "POST", { name: "Shop", allowed_origins: [ORIGIN] })).site;
    });
    after(async () => {
      for (const socket of sockets) socket.close();
      await a?.dispose();
      await b?.dispose();
      await redis?.stop();
      await database?.drop();
    });

    it("sends a site changed on node B to its widget on node A, and node A follows its origins", async () => {
      // Node A learns of the site created on B (its origins are widget origins there now).
      await eventually(async () => {
        const response = await fetch(`${a.url}/widget/config?site=${site.key}`, {
          headers: { origin: ORIGIN },
        });
        return response.status === 200 ? true : undefined;
      }, "node A serves the site created on node B");
      const cable = await openRawCable(a.url, { origin: ORIGIN });
      sockets.push(cable);
      const key = cable.subscribe({ channel: "VisitorChannel", token: visitorToken(), site: site.key });
      await cable.next((f) => f.identifier === key && f.type === "confirm_subscription");

      await onB(`/sites/${site.id}`, "PATCH", {
        allowed_origins: [ORIGIN, NEW_ORIGIN],
        widget: { greeting: "Hello from node B" },
      });
      const frame = await cable.next((f) => f.identifier === key && eventOf(f)?.type === "site_updated");
      assert.equal(eventOf(frame)?.config?.greeting, "Hello from node B");
      const config = await eventually(async () => {
        const response = await fetch(`${a.url}/widget/config?site=${site.key}`, {
          headers: { origin: NEW_ORIGIN },
        });
        return response.status === 200 ? ((await response.json()) as WidgetConfig) : undefined;
      }, "node A allows the origin added on node B");
      assert.equal(config.greeting, "Hello from node B");
    });

    it("shows on node A's widget config a name and photo changed on node B (§14)", async () => {
      const form = new FormData();
      const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#884422" } })
        .png()
        .toBuffer();
      form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "me.png");
      const pictured = await fetch(`${b.url}/agents/me/avatar`, {
        method: "PUT",
        headers: { cookie: ownerB },
        body: form,
      });
      assert.equal(pictured.status, 200);
      const { agent } = (await pictured.json()) as { agent: Agent };
      await onB("/agents/me", "PATCH", { name: "Olga" });
      const face = await eventually(async () => {
        const response = await fetch(`${a.url}/widget/config?site=${site.key}`, {
          headers: { origin: ORIGIN },
        });
        const member = ((await response.json()) as WidgetConfig).team.find((each) => each.id === agent.id);
        return member?.name === "Olga" && member.avatar_url === agent.avatar_url ? member : undefined;
      }, "node A's config shows the owner's new name and photo");
      // Photos live in each node's blob store (disk here): node B serves what node B stored.
      assert.equal((await fetch(`${b.url}${face.avatar_url!}`)).status, 200);
    });

    it("holds owner settings changed on node B for visitors on node A", async () => {
      await onB("/settings", "PATCH", { rate_limit_per_minute: 1, new_conversations_per_ip_per_hour: 0 });
      const ownerA = await login(a.url);
      await eventually(async () => {
        const response = await fetch(`${a.url}/settings`, { headers: { cookie: ownerA } });
        const body = (await response.json()) as OwnerSettingsResponse;
        return body.settings.rate_limit_per_minute === 1 ? true : undefined;
      }, "node A applies the rate set on node B");
      const cable = await openRawCable(a.url, { origin: WIDGET_ORIGIN });
      sockets.push(cable);
      const key = cable.subscribe({ channel: "VisitorChannel", token: visitorToken() });
      await cable.next((f) => f.identifier === key && f.type === "confirm_subscription");
      cable.perform(key, { action: "send_message", content: "one", client_id: "1" });
      cable.perform(key, { action: "send_message", content: "two", client_id: "2" });
      await cable.next((f) => eventOf(f)?.type === "too_fast");
      assert.equal(cable.frames.filter((f) => eventOf(f)?.type === "message").length, 1);
    });
  },
);
