/**
 * Availability per site (protocol §10) on a real store: a site is online while an agent who
 * answers it is, owners count for every site, and a site's new team (its `site_updated` on the
 * agents' stream) or an agent added since the start moves it at once.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Site } from "@parley/protocol";
import pino from "pino";
import { MemoryBroker } from "../../src/broker/memoryBroker.js";
import { LocalPresence } from "../../src/chat/presence.js";
import { SiteAvailability } from "../../src/chat/siteAvailability.js";
import { AGENTS_STREAM } from "../../src/chat/streams.js";
import { openStore } from "../../src/store/openStore.js";
import type { Store, StoredSite } from "../../src/store/store.js";

const root = mkdtempSync(join(tmpdir(), "parley-availability-"));
const AT = "2026-01-01T00:00:00.000Z";

describe("availability per site", () => {
  let store: Store;
  const presence = new LocalPresence();
  const logger = pino({ level: "silent" });
  const broker = new MemoryBroker(logger);
  let availability: SiteAvailability;
  let shop: StoredSite;
  let docs: StoredSite;
  const ids = { owner: 0, ann: 0, bob: 0 };
  const heard: Record<"shop" | "docs", boolean[]> = { shop: [], docs: [] };

  const agent = async (username: string, role: "owner" | "agent") =>
    (await store.createAgent({ username, name: username, role, passwordHash: "h", at: AT })).id;
  /** What sites-server's routes publish when an owner changes a site. */
  const publishTeam = (site: StoredSite, agentIds: number[] | null) =>
    broker.publish(AGENTS_STREAM, {
      type: "site_updated",
      site: { id: site.id, agent_ids: agentIds } as Site,
    });
  const online = async () => [await availability.online(shop.id), await availability.online(docs.id)];

  before(async () => {
    store = await openStore({ storageDir: root });
    await store.migrate();
    ids.owner = await agent("owner", "owner");
    ids.ann = await agent("ann", "agent");
    ids.bob = await agent("bob", "agent");
    shop = await store.getDefaultSite(); // everyone answers it
    docs = await store.createSite({
      key: "docs-site-key-1",
      name: "Docs",
      allowedOrigins: [],
      widget: shop.widget,
      businessHours: null,
      agentIds: [ids.bob],
      at: AT,
    });
    availability = new SiteAvailability(presence, store, broker, logger);
    await availability.start();
    availability.onChange(shop.id, (value) => heard.shop.push(value));
    availability.onChange(docs.id, (value) => heard.docs.push(value));
  });

  after(async () => {
    availability.stop();
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("is online where an agent of the site is, and only there", async () => {
    assert.deepEqual(await online(), [false, false]);
    await presence.agentConnected(ids.ann);
    assert.deepEqual(await online(), [true, false], "Ann answers the shop (everyone), not the docs");
    assert.deepEqual(heard, { shop: [true], docs: [] });
    await presence.agentConnected(ids.bob);
    assert.deepEqual(await online(), [true, true]);
    await presence.agentDisconnected(ids.bob);
    assert.deepEqual(await online(), [true, false]);
    await presence.agentDisconnected(ids.ann);
    assert.deepEqual(heard, { shop: [true, false], docs: [true, false] });
  });

  it("counts an owner for every site, whatever its team", async () => {
    await presence.agentConnected(ids.owner);
    assert.deepEqual(await online(), [true, true]);
    await presence.agentDisconnected(ids.owner);
    assert.deepEqual(await online(), [false, false]);
  });

  it("follows a site's new team at once", async () => {
    await presence.agentConnected(ids.ann);
    heard.docs.length = 0;
    await publishTeam(docs, [ids.ann, ids.bob]);
    assert.deepEqual(await online(), [true, true]);
    await publishTeam(docs, [ids.bob]);
    assert.deepEqual(await online(), [true, false]);
    assert.deepEqual(heard.docs, [true, false]);
    await presence.agentDisconnected(ids.ann);
  });

  it("reads an agent added since the start when they come online", async () => {
    const carl = await agent("carl", "agent");
    await publishTeam(docs, [carl]);
    heard.docs.length = 0;
    await presence.agentConnected(carl);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the store read of the new agent
    assert.deepEqual(await online(), [true, true]);
    assert.deepEqual(heard.docs, [true]);
  });

  it("reads a site created since the start when asked about it", async () => {
    const blog = await store.createSite({
      key: "blog-site-key-1",
      name: "Blog",
      allowedOrigins: [],
      widget: shop.widget,
      businessHours: null,
      agentIds: null,
      at: AT,
    });
    assert.equal(await availability.online(blog.id), true, "Carl is online and the blog is everyone's");
    assert.equal(await availability.online(9999), false, "no such site");
  });
});
