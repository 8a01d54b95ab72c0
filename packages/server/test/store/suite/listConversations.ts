/** The inbox list: order, keyset paging, filters, search, latest message. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StoredConversation } from "../../../src/store/store.js";
import { at, newAgent, newConversation, visitorMessage, withStore, type StoreFactory } from "./harness.js";

const idsOf = (conversations: StoredConversation[]) => conversations.map((conversation) => conversation.id);

export function listConversationTests(fresh: StoreFactory): void {
  describe("listConversations", () => {
    it("orders by updated_at desc then id desc, and pages by keyset through ties", () =>
      withStore(fresh, async (store) => {
        // Three share one updated_at, so only the id breaks the tie.
        const a = await newConversation(store, { at: at(5) });
        const b = await newConversation(store, { at: at(5) });
        const c = await newConversation(store, { at: at(5) });
        const d = await newConversation(store, { at: at(1) });
        const e = await newConversation(store, { at: at(9) });
        const expected = [e.id, c.id, b.id, a.id, d.id];

        assert.deepEqual(idsOf(await store.listConversations({ limit: 10 })), expected);
        const paged: number[] = [];
        let before: { updatedAt: string; id: number } | undefined;
        for (;;) {
          const page = await store.listConversations({ limit: 2, ...(before ? { before } : {}) });
          if (page.length === 0) break;
          paged.push(...idsOf(page));
          const last = page.at(-1)!;
          before = { updatedAt: last.updatedAt, id: last.id };
        }
        assert.deepEqual(paged, expected);
      }));

    it("moves a conversation up when it gets a message and carries its latest message", () =>
      withStore(fresh, async (store) => {
        const old = await newConversation(store, { at: at(1) });
        const recent = await newConversation(store, { at: at(2) });
        await store.appendMessage(visitorMessage(old.id, "first", at(3)));
        const latest = await store.appendMessage(visitorMessage(old.id, "second", at(4)));
        const list = await store.listConversations({ limit: 10 });
        assert.deepEqual(idsOf(list), [old.id, recent.id]);
        assert.deepEqual(list[0]?.lastMessage, latest.message);
        assert.equal(list[1]?.lastMessage, null);
        assert.equal(list[0]?.unreadCount, 2);
      }));

    it("filters by status and by assignee (someone, nobody, anyone)", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        const bob = await newAgent(store, "bob");
        const open = await newConversation(store, { at: at(1) });
        const closed = await newConversation(store, { at: at(2) });
        const adas = await newConversation(store, { at: at(3) });
        const bobs = await newConversation(store, { at: at(4) });
        await store.updateConversation(closed.id, { status: "closed" });
        await store.updateConversation(adas.id, { assigneeId: ada.id });
        await store.updateConversation(bobs.id, { assigneeId: bob.id, status: "closed" });

        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, status: "open" })), [
          adas.id,
          open.id,
        ]);
        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, status: "closed" })), [
          bobs.id,
          closed.id,
        ]);
        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, assigneeId: ada.id })), [adas.id]);
        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, assigneeId: null })), [
          closed.id,
          open.id,
        ]);
        assert.deepEqual(
          idsOf(await store.listConversations({ limit: 10, assigneeId: bob.id, status: "open" })),
          [],
        );
        assert.equal((await store.listConversations({ limit: 10, assigneeId: undefined })).length, 4);
      }));

    it("searches visitor names and message text, ignoring case", () =>
      withStore(fresh, async (store) => {
        const named = await newConversation(store, { visitorName: "Marguerite Duras", at: at(1) });
        const texted = await newConversation(store, { visitorName: "Someone", at: at(2) });
        const neither = await newConversation(store, { visitorName: "Nobody", at: at(3) });
        await store.appendMessage(visitorMessage(texted.id, "Where is my ORDER #4411?", at(4)));
        await store.appendMessage(visitorMessage(texted.id, "thanks", at(5)));
        await store.appendMessage(visitorMessage(neither.id, "hello", at(6)));

        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, search: "marguerite" })), [
          named.id,
        ]);
        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, search: "order #44" })), [
          texted.id,
        ]);
        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, search: "DURAS" })), [named.id]);
        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, search: "E" })), [
          neither.id,
          texted.id,
          named.id,
        ]);
        assert.deepEqual(
          idsOf(await store.listConversations({ limit: 10, search: "nothing like this" })),
          [],
        );
        // A matching conversation still carries its latest message, not the one that matched.
        const [found] = await store.listConversations({ limit: 10, search: "order" });
        assert.equal(found?.lastMessage?.content, "thanks");
      }));

    it("treats % and _ and \\ in the search text as plain characters", () =>
      withStore(fresh, async (store) => {
        const percent = await newConversation(store, { at: at(1) });
        const underscore = await newConversation(store, { at: at(2) });
        const plain = await newConversation(store, { at: at(3) });
        const backslash = await newConversation(store, { at: at(4) });
        await store.appendMessage(visitorMessage(percent.id, "50% off", at(5)));
        await store.appendMessage(visitorMessage(underscore.id, "snake_case", at(6)));
        await store.appendMessage(visitorMessage(plain.id, "50 xoff snakeXcase", at(7)));
        await store.appendMessage(visitorMessage(backslash.id, "C:\\temp", at(8)));

        const search = (text: string) => store.listConversations({ limit: 10, search: text });
        assert.deepEqual(idsOf(await search("50%")), [percent.id]);
        assert.deepEqual(idsOf(await search("%")), [percent.id]);
        assert.deepEqual(idsOf(await search("e_c")), [underscore.id]);
        assert.deepEqual(idsOf(await search("_")), [underscore.id]);
        assert.deepEqual(idsOf(await search("c:\\t")), [backslash.id]);
        assert.deepEqual(idsOf(await search("\\")), [backslash.id]);
      }));

    it("finds HTML and SQL-looking text literally", () =>
      withStore(fresh, async (store) => {
        const html = await newConversation(store, { visitorName: "<img src=x onerror=alert(1)>", at: at(1) });
        const sqlish = await newConversation(store, { at: at(2) });
        await store.appendMessage(visitorMessage(sqlish.id, "x' OR '1'='1", at(3)));
        await newConversation(store, { visitorName: "innocent", at: at(4) });
        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, search: "<IMG src=x" })), [
          html.id,
        ]);
        assert.deepEqual(idsOf(await store.listConversations({ limit: 10, search: "' or '1'='1" })), [
          sqlish.id,
        ]);
        const [stored] = await store.listConversations({ limit: 10, search: "onerror" });
        assert.equal(stored?.visitorName, "<img src=x onerror=alert(1)>");
      }));

    it("combines search, filters, paging and the limit", () =>
      withStore(fresh, async (store) => {
        const matches: number[] = [];
        for (let i = 0; i < 5; i++) {
          const conversation = await newConversation(store, { visitorName: `Refund ${i}`, at: at(i) });
          matches.unshift(conversation.id);
          await newConversation(store, { visitorName: `Other ${i}`, at: at(i) });
        }
        assert.ok(await store.updateConversation(matches[0]!, { status: "closed" }));
        const first = await store.listConversations({ limit: 2, search: "refund", status: "open" });
        assert.deepEqual(idsOf(first), matches.slice(1, 3));
        const last = first.at(-1)!;
        const next = await store.listConversations({
          limit: 2,
          search: "refund",
          status: "open",
          before: { updatedAt: last.updatedAt, id: last.id },
        });
        assert.deepEqual(idsOf(next), matches.slice(3, 5));
      }));
  });
}
