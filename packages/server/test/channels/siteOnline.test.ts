/**
 * Availability per site (protocol §10) seen by visitors: a site's widget is online while an agent
 * who answers that site has the inbox open (owners count for every site), over the socket
 * (`availability`) and in `GET /widget/config` (`agents_online`).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import type { Site, WidgetConfig } from "@parley/protocol";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import {
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

const DOCS_ORIGIN = "https://docs.example";

describe("availability per site", () => {
  let server: TestServer;
  let owner: string;
  let docs: Site;
  let defaultSite: Site;
  const cables: RawCable[] = [];
  const inboxes: Consumer[] = [];
  const heard: Record<"shop" | "docs", boolean[]> = { shop: [], docs: [] };
  /** `agents_online` of each `site_updated` config the docs visitor got. */
  const configs: boolean[] = [];
  let annId: number;
  let bobId: number;

  const asOwner = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie: owner, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  /** A visitor's socket on a site, recording each `availability` it hears. */
  const visitor = async (origin: string, site: string | undefined, into: boolean[]) => {
    const cable = await openRawCable(server.url, { origin });
    cables.push(cable);
    const key = cable.subscribe({
      channel: "VisitorChannel",
      token: visitorToken(),
      ...(site === undefined ? {} : { site }),
    });
    await cable.next((f) => f.identifier === key && f.type === "confirm_subscription");
    cable.socket.on("message", (data) => {
      const frame = JSON.parse((data as Buffer).toString("utf8")) as {
        message?: { type?: string; online?: boolean; config?: WidgetConfig };
      };
      if (frame.message?.type === "availability") into.push(frame.message.online === true);
      if (frame.message?.type === "site_updated" && into === heard.docs)
        configs.push(frame.message.config?.agents_online === true);
    });
    // The first availability may have come with the confirmation: read it from the frames.
    const first = await cable.next(
      (f) => (f.message as { type?: string } | undefined)?.type === "availability",
    );
    into.push((first.message as { online: boolean }).online);
  };
  const inbox = async (cookie: string) => {
    const consumer = createConsumer(server.url, { cookie });
    inboxes.push(consumer);
    const admin = new RecordingSubscription(consumer, { channel: "AdminChannel" });
    await admin.next((m) => m.type === "conversations");
    return consumer;
  };
  const agentsOnline = async (query: string, origin: string) => {
    const response = await fetch(`${server.url}/widget/config${query}`, { headers: { origin } });
    assert.equal(response.status, 200);
    return ((await response.json()) as WidgetConfig).agents_online;
  };
  /** Resolves once `list` holds `count` values. */
  const until = async (list: boolean[], count: number) => {
    const deadline = Date.now() + 5000;
    while (list.length < count) {
      if (Date.now() > deadline) throw new Error(`heard ${JSON.stringify(list)}, waited for ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  before(async () => {
    server = await startTestServer();
    owner = await login(server.url);
    annId = (
      (await asOwner("POST", "/agents", { username: "ann", password: "ann-password-1" })) as {
        agent: { id: number };
      }
    ).agent.id;
    bobId = (
      (await asOwner("POST", "/agents", { username: "bob", password: "bob-password-1" })) as {
        agent: { id: number };
      }
    ).agent.id;
    const sites = (await asOwner("GET", "/sites")) as { sites: Site[] };
    defaultSite = sites.sites.find((site) => site.is_default)!;
    await asOwner("PATCH", `/sites/${defaultSite.id}`, { agent_ids: [annId] });
    docs = (
      (await asOwner("POST", "/sites", {
        name: "Docs",
        allowed_origins: [DOCS_ORIGIN],
        agent_ids: [bobId],
      })) as { site: Site }
    ).site;
    await visitor(WIDGET_ORIGIN, undefined, heard.shop);
    await visitor(DOCS_ORIGIN, docs.key, heard.docs);
  });

  after(async () => {
    for (const cable of cables) cable.close();
    for (const consumer of inboxes) consumer.disconnect();
    await server.dispose();
  });

  it("starts offline on both sites", async () => {
    assert.deepEqual(heard, { shop: [false], docs: [false] });
    assert.equal(await agentsOnline("", WIDGET_ORIGIN), false);
    assert.equal(await agentsOnline(`?site=${docs.key}`, DOCS_ORIGIN), false);
  });

  it("is online only on the sites of the agent who opened the inbox", async () => {
    const ann = await inbox(await login(server.url, { username: "ann", password: "ann-password-1" }));
    await until(heard.shop, 2);
    assert.deepEqual(heard.shop, [false, true]);
    assert.equal(await agentsOnline("", WIDGET_ORIGIN), true);
    assert.equal(await agentsOnline(`?site=${docs.key}`, DOCS_ORIGIN), false, "Ann does not answer the docs");

    const bob = await inbox(await login(server.url, { username: "bob", password: "bob-password-1" }));
    await until(heard.docs, 2);
    assert.equal(await agentsOnline(`?site=${docs.key}`, DOCS_ORIGIN), true);
    assert.deepEqual(heard.shop, [false, true], "Bob's coming changed nothing for the shop");

    ann.disconnect();
    await until(heard.shop, 3);
    bob.disconnect();
    await until(heard.docs, 3);
    assert.deepEqual(heard, { shop: [false, true, false], docs: [false, true, false] });
  });

  it("counts an owner for every site", async () => {
    const consumer = await inbox(owner);
    await until(heard.shop, 4);
    await until(heard.docs, 4);
    assert.equal(await agentsOnline(`?site=${docs.key}`, DOCS_ORIGIN), true);
    consumer.disconnect();
    await until(heard.docs, 5);
    assert.deepEqual(heard, {
      shop: [false, true, false, true, false],
      docs: [false, true, false, true, false],
    });
  });

  it("follows the owner's change of a site's team at once", async () => {
    await inbox(await login(server.url, { username: "ann", password: "ann-password-1" }));
    await until(heard.shop, 6);
    assert.equal(await agentsOnline(`?site=${docs.key}`, DOCS_ORIGIN), false);
    await asOwner("PATCH", `/sites/${docs.id}`, { agent_ids: [annId, bobId] });
    await until(heard.docs, 6);
    assert.equal(heard.docs.at(-1), true);
    await until(configs, 1);
    assert.deepEqual(configs, [true], "the new config counts the new team too");
    assert.equal(await agentsOnline(`?site=${docs.key}`, DOCS_ORIGIN), true);
    await asOwner("PATCH", `/sites/${docs.id}`, { agent_ids: [bobId] });
    await until(heard.docs, 7);
    assert.equal(heard.docs.at(-1), false);
  });
});
