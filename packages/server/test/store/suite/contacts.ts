/** Contacts and visitors (protocol §12): one verified contact per site and id, merges, page history. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UniqueViolationError } from "../../../src/store/errors.js";
import type { NewContact, Store, VisitorSighting } from "../../../src/store/store.js";
import { at, newConversation, newToken, withStore, type StoreFactory } from "./harness.js";

async function contact(store: Store, overrides: Partial<NewContact> = {}) {
  return store.createContact({
    siteId: (await store.getDefaultSite()).id,
    externalId: null,
    verified: false,
    name: null,
    email: null,
    attributes: {},
    sessionToken: newToken(),
    at: at(1),
    ...overrides,
  });
}

function sighting(url: string, when: string, overrides: Partial<VisitorSighting> = {}): VisitorSighting {
  return {
    page: { url, title: null, at: when },
    referrer: null,
    utm: {},
    userAgent: null,
    browser: null,
    os: null,
    device: null,
    language: null,
    timeZone: null,
    ipAddress: null,
    keepPages: 3,
    ...overrides,
  };
}

export function contactTests(fresh: StoreFactory): void {
  describe("contacts and visitors", () => {
    it("keeps one verified contact per site and id; unverified claims may repeat", () =>
      withStore(fresh, async (store) => {
        const first = await contact(store, { externalId: "u1", verified: true, attributes: { plan: "pro" } });
        assert.deepEqual(first.attributes, { plan: "pro" });
        await assert.rejects(contact(store, { externalId: "u1", verified: true }), UniqueViolationError);
        await contact(store, { externalId: "u1" });
        await contact(store, { externalId: "u1" });
        const siteId = (await store.getDefaultSite()).id;
        assert.equal((await store.findVerifiedContact(siteId, "u1"))?.id, first.id);
        assert.equal((await store.listContacts({ limit: 10 })).length, 3);
        const unverified = await contact(store);
        await assert.rejects(
          store.updateContact(unverified.id, { externalId: "u1", verified: true, at: at(2) }),
          UniqueViolationError,
        );
      }));

    it("merges in one step: conversations and visitors move, the other contact goes", () =>
      withStore(fresh, async (store) => {
        const siteId = (await store.getDefaultSite()).id;
        const into = await contact(store);
        const from = await contact(store, { externalId: "u9", verified: true });
        const conversation = await store.createConversation({
          token: from.sessionToken,
          visitorName: null,
          createdIp: null,
          siteId,
          contactId: from.id,
          at: at(3),
        });
        assert.equal(conversation.conversation.contactId, from.id);
        const visitor = await store.ensureVisitor(siteId, from.sessionToken, at(3));
        await store.setVisitorContact(visitor.id, from.id);
        const merged = await store.mergeContacts(into.id, from.id, {
          externalId: "u9",
          verified: true,
          at: at(4),
        });
        assert.equal(merged?.externalId, "u9", "takes the other's verified id in the same step");
        assert.equal(await store.getContact(from.id), undefined);
        assert.equal((await store.getConversation(conversation.conversation.id))?.contactId, into.id);
        assert.equal((await store.findVisitor(siteId, from.sessionToken))?.contactId, into.id);
        assert.equal(await store.mergeContacts(into.id, from.id, { at: at(5) }), undefined, "gone: nothing");
      }));

    it("finds each visitor by site and token, also when many are asked for at once", () =>
      withStore(fresh, async (store) => {
        const home = await store.getDefaultSite();
        const other = await store.createSite({
          key: `visitors-${newToken().slice(-6)}`,
          name: "Other",
          allowedOrigins: [],
          widget: home.widget,
          businessHours: null,
          agentIds: null,
          at: at(0),
        });
        // One token on two sites is two visitors; a third token is on the other site only.
        const shared = newToken();
        const onlyOther = newToken();
        const atHome = await store.ensureVisitor(home.id, shared, at(1));
        const elsewhere = await store.ensureVisitor(other.id, shared, at(2));
        const third = await store.ensureVisitor(other.id, onlyOther, at(3));
        assert.notEqual(atHome.id, elsewhere.id);
        // Asked for together (on Postgres: one statement for the turn), each gets its own row.
        const found = await Promise.all([
          store.findVisitor(home.id, shared),
          store.findVisitor(other.id, shared),
          store.findVisitor(home.id, onlyOther),
          store.findVisitor(other.id, onlyOther),
          store.findVisitor(other.id, shared),
          store.findVisitor(home.id, newToken()),
        ]);
        assert.deepEqual(
          found.map((visitor) => visitor?.id),
          [atHome.id, elsewhere.id, undefined, third.id, elsewhere.id, undefined],
        );
        assert.equal(found[1]?.firstSeenAt, at(2));
      }));

    it("keeps a visitor's first page and first referrer, and the newest pages only", () =>
      withStore(fresh, async (store) => {
        const siteId = (await store.getDefaultSite()).id;
        const token = newToken();
        const visitor = await store.ensureVisitor(siteId, token, at(0));
        assert.equal((await store.ensureVisitor(siteId, token, at(1))).id, visitor.id, "one row per token");
        await store.recordPageView(
          visitor.id,
          sighting("https://a.example/1", at(1), {
            referrer: "https://ref.example/",
            utm: { utm_source: "x" },
          }),
        );
        for (const n of [2, 3, 4]) {
          await store.recordPageView(
            visitor.id,
            sighting(`https://a.example/${n}`, at(n), {
              referrer: "https://later.example/",
              utm: { utm_source: "y" },
            }),
          );
        }
        const after = await store.findVisitor(siteId, token);
        assert.equal(after?.firstPage?.url, "https://a.example/1");
        assert.equal(after?.referrer, "https://ref.example/");
        assert.deepEqual(after?.utm, { utm_source: "x" });
        assert.equal(after?.lastSeenAt, at(4));
        assert.deepEqual(
          (await store.listPageViews(visitor.id)).map((page) => page.url),
          ["https://a.example/2", "https://a.example/3", "https://a.example/4"],
        );
        assert.equal((await newConversation(store)).contactId, null);
      }));
  });
}
