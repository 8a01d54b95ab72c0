/** Sites (protocol §10), conversations on them, and the owner's settings. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SITE_KEY_PATTERN, type SiteWidgetSettings } from "@parley/protocol";
import { UniqueViolationError } from "../../../src/store/errors.js";
import type { NewSite, Store } from "../../../src/store/store.js";
import { at, newConversation, newToken, visitorMessage, withStore, type StoreFactory } from "./harness.js";

const WIDGET: SiteWidgetSettings = {
  title: "Shop help",
  greeting: "Ask us about your order",
  color: "#0a0",
  position: "left",
  launcher_label: "Help",
  locale: "de",
  away_message: "Back soon",
  prechat: { name: "optional", email: "required" },
  ask_rating: false,
  privacy_url: "https://shop.example/privacy",
};

let keys = 0;
function newSite(overrides: Partial<NewSite> = {}): NewSite {
  keys += 1;
  return {
    key: `site-key-${String(keys).padStart(6, "0")}`,
    name: `Site ${keys}`,
    allowedOrigins: ["https://shop.example"],
    widget: WIDGET,
    businessHours: null,
    agentIds: null,
    at: at(1),
    ...overrides,
  };
}

async function siteOf(store: Store, conversationId: number): Promise<number | undefined> {
  return (await store.getConversation(conversationId))?.siteId;
}

export function siteTests(fresh: StoreFactory): void {
  describe("sites", () => {
    it("has one default site after migrating, with a key, the built-in widget and every origin allowed", () =>
      withStore(fresh, async (store) => {
        const site = await store.getDefaultSite();
        assert.equal(site.isDefault, true);
        assert.match(site.key, SITE_KEY_PATTERN);
        assert.equal(site.archivedAt, null);
        assert.deepEqual(site.allowedOrigins, []);
        assert.deepEqual(site.widget, {
          title: "Chat with us",
          greeting: "Hi! How can we help?",
          color: "#2563eb",
          position: "right",
          launcher_label: null,
          locale: null,
          away_message: "We're away. Leave a message and we'll reply here.",
          prechat: { name: "off", email: "off" },
          ask_rating: true,
          privacy_url: null,
        });
        assert.equal(site.businessHours, null);
        assert.equal(site.agentIds, null);
        assert.deepEqual(await store.listSites(), [site]);
        assert.deepEqual(await store.findSiteByKey(site.key), site);
        assert.deepEqual(await store.getSite(site.id), site);
      }));

    it("creates, finds, lists and updates sites, JSON fields intact", () =>
      withStore(fresh, async (store) => {
        const hours = {
          time_zone: "Europe/Berlin",
          weekly: { mon: [{ open: "09:00", close: "17:00" }] },
          closed_days: ["2024-12-25"],
        };
        const created = await store.createSite(newSite({ businessHours: hours, agentIds: [3, 5] }));
        assert.equal(created.isDefault, false);
        assert.deepEqual(created.businessHours, hours);
        assert.deepEqual(created.agentIds, [3, 5]);
        assert.deepEqual(created.widget, WIDGET);
        assert.equal(created.createdAt, at(1));
        assert.deepEqual(await store.findSiteByKey(created.key), created);
        assert.equal(await store.findSiteByKey("no-such-site-key"), undefined);
        assert.equal(await store.getSite(9_999_999), undefined);
        const all = await store.listSites();
        assert.deepEqual(
          all.map((site) => site.id),
          [(await store.getDefaultSite()).id, created.id],
        );

        const renamed = await store.updateSite(created.id, { name: "Renamed", at: at(2) });
        assert.deepEqual(renamed, { ...created, name: "Renamed", updatedAt: at(2) });
        const changed = await store.updateSite(created.id, {
          allowedOrigins: [],
          widget: { ...WIDGET, title: "New" },
          businessHours: null,
          agentIds: null,
          archivedAt: at(3),
          at: at(3),
        });
        assert.deepEqual(changed, {
          ...created,
          name: "Renamed",
          allowedOrigins: [],
          widget: { ...WIDGET, title: "New" },
          businessHours: null,
          agentIds: null,
          archivedAt: at(3),
          updatedAt: at(3),
        });
        const restored = await store.updateSite(created.id, { archivedAt: null, at: at(4) });
        assert.equal(restored?.archivedAt, null);
        assert.equal(await store.updateSite(9_999_999, { name: "x", at: at(5) }), undefined);
      }));

    it("refuses a second site with the same key", () =>
      withStore(fresh, async (store) => {
        const site = await store.createSite(newSite());
        await assert.rejects(store.createSite(newSite({ key: site.key })), UniqueViolationError);
        assert.equal((await store.listSites()).length, 2);
      }));

    it("puts a conversation on its site, and refuses a site that does not exist", () =>
      withStore(fresh, async (store) => {
        const site = await store.createSite(newSite());
        const onSite = await newConversation(store, { siteId: site.id });
        assert.equal(onSite.siteId, site.id);
        assert.equal(await siteOf(store, onSite.id), site.id);
        const first = await store.appendFirstMessage({
          ...visitorMessage(0, "hello", at(2)),
          conversation: { token: newToken(), visitorName: null, createdIp: null, siteId: site.id },
        });
        assert.equal(first.conversation.siteId, site.id);
        await assert.rejects(
          store.createConversation({
            token: newToken(),
            visitorName: null,
            createdIp: null,
            siteId: 9_999_999,
            at: at(3),
          }),
        );
      }));

    it("lists only the conversations of the given sites", () =>
      withStore(fresh, async (store) => {
        const home = (await store.getDefaultSite()).id;
        const shop = (await store.createSite(newSite())).id;
        const docs = (await store.createSite(newSite())).id;
        const a = await newConversation(store, { siteId: home, at: at(1), visitorName: "Ann" });
        const b = await newConversation(store, { siteId: shop, at: at(2), visitorName: "Ben" });
        const c = await newConversation(store, { siteId: docs, at: at(3), visitorName: "Ann B" });
        const ids = async (filter: Parameters<Store["listConversations"]>[0]) =>
          (await store.listConversations(filter)).map((conversation) => conversation.id);
        assert.deepEqual(await ids({ limit: 10 }), [c.id, b.id, a.id]);
        assert.deepEqual(await ids({ siteIds: [shop], limit: 10 }), [b.id]);
        assert.deepEqual(await ids({ siteIds: [home, docs], limit: 10 }), [c.id, a.id]);
        assert.deepEqual(await ids({ siteIds: [], limit: 10 }), []);
        assert.deepEqual(await ids({ siteIds: [home, shop], search: "ann", limit: 10 }), [a.id]);
        assert.deepEqual(
          await ids({ siteIds: [home, docs], before: { updatedAt: c.updatedAt, id: c.id }, limit: 10 }),
          [a.id],
        );
      }));
  });

  describe("owner settings", () => {
    it("starts empty, saves what is given and keeps the rest", () =>
      withStore(fresh, async (store) => {
        assert.deepEqual(await store.getOwnerSettings(), {});
        await store.saveOwnerSettings({ rate_limit_per_minute: 12, max_upload_mb: 5 }, at(1));
        assert.deepEqual(await store.getOwnerSettings(), { rate_limit_per_minute: 12, max_upload_mb: 5 });
        await store.saveOwnerSettings({ rate_limit_per_minute: 40 }, at(2));
        await store.saveOwnerSettings({}, at(3));
        assert.deepEqual(await store.getOwnerSettings(), { rate_limit_per_minute: 40, max_upload_mb: 5 });
      }));
  });
}
