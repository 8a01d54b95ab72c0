/** Notes, canned replies, chosen availability and round-robin bookkeeping (migration 011, §15). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { at, newAgent, newConversation, visitorMessage, withStore, type StoreFactory } from "./harness.js";

export function teamWorkTests(fresh: StoreFactory): void {
  describe("notes", () => {
    it("keeps notes apart from messages, answers a retried client id, and goes with its conversation", () =>
      withStore(fresh, async (store) => {
        const agent = await newAgent(store, "ada");
        const conversation = await newConversation(store);
        await store.appendMessage(visitorMessage(conversation.id, "hello", at(1)));
        const first = await store.appendNote({
          conversationId: conversation.id,
          agentId: agent.id,
          agentName: "Ada",
          content: "<b>private</b> @ada",
          mentionIds: [agent.id],
          clientId: "n1",
          at: at(2),
        });
        assert.equal(first.created, true);
        assert.deepEqual(first.note.mentionIds, [agent.id]);
        const retried = await store.appendNote({
          conversationId: conversation.id,
          agentId: agent.id,
          agentName: "Ada",
          content: "other",
          mentionIds: [],
          clientId: "n1",
          at: at(3),
        });
        assert.equal(retried.created, false);
        assert.deepEqual(retried.note, first.note);
        const second = await store.appendNote({
          conversationId: conversation.id,
          agentId: agent.id,
          agentName: "Ada",
          content: "second",
          mentionIds: [],
          clientId: null,
          at: at(4),
        });
        assert.deepEqual(
          (await store.listNotes(conversation.id, 1000)).map((note) => note.content),
          ["<b>private</b> @ada", "second"],
        );
        assert.equal((await store.listNotes(conversation.id, 1)).length, 1);
        // Not a message: the conversation's messages and counts are the visitor's only.
        assert.deepEqual(
          (await store.listMessages(conversation.id, { limit: 100 })).map((message) => message.content),
          ["hello"],
        );
        assert.ok(second.note.id > first.note.id);

        await store.deleteAgent(agent.id);
        const [kept] = await store.listNotes(conversation.id, 1000);
        assert.equal(kept?.agentId, null);
        assert.equal(kept?.agentName, "Ada");

        assert.equal(await store.deleteConversation(conversation.id), true);
        assert.deepEqual(await store.listNotes(conversation.id, 1000), []);
      }));
  });

  describe("canned replies", () => {
    it("stores personal and shared replies, lists an agent's own with every shared one, counts per scope", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        const bob = await newAgent(store, "bob");
        const site = await store.getDefaultSite();
        const mine = await store.createCannedReply({
          scope: "personal",
          agentId: ada.id,
          siteId: null,
          shortcut: "hi",
          content: "Hello {{visitor.name}}",
          at: at(1),
        });
        const bobs = await store.createCannedReply({
          scope: "personal",
          agentId: bob.id,
          siteId: null,
          shortcut: "hi",
          content: "Bob's",
          at: at(2),
        });
        const shared = await store.createCannedReply({
          scope: "shared",
          agentId: null,
          siteId: site.id,
          shortcut: "bye",
          content: "Goodbye",
          at: at(3),
        });
        assert.deepEqual(
          (await store.listCannedRepliesFor(ada.id)).map((reply) => reply.id),
          [mine.id, shared.id],
        );
        assert.deepEqual(
          (await store.listCannedRepliesByShortcut("hi")).map((reply) => reply.id),
          [mine.id, bobs.id],
        );
        assert.equal(await store.countCannedReplies(ada.id), 1);
        assert.equal(await store.countCannedReplies(null), 1);
        const changed = await store.updateCannedReply(mine.id, { content: "Hi!", at: at(5) });
        assert.equal(changed?.content, "Hi!");
        assert.equal(changed?.shortcut, "hi");
        assert.equal(changed?.updatedAt, at(5));
        assert.equal(changed?.createdAt, at(1));
        assert.equal(await store.deleteCannedReply(mine.id), true);
        assert.equal(await store.deleteCannedReply(mine.id), false);
        assert.equal(await store.getCannedReply(mine.id), undefined);
        // A personal reply goes with its agent.
        await store.deleteAgent(bob.id);
        assert.equal(await store.getCannedReply(bobs.id), undefined);
      }));
  });

  describe("availability and round-robin bookkeeping", () => {
    it("remembers the chosen availability, the last automatic assignment and counts open assigned conversations", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        assert.equal(ada.chosenAvailability, "online");
        assert.equal((await store.setChosenAvailability(ada.id, "away"))?.chosenAvailability, "away");
        assert.equal((await store.getAgent(ada.id))?.chosenAvailability, "away");
        assert.equal(await store.setChosenAvailability(9_999_999, "away"), undefined);
        await store.recordAutoAssignment(ada.id, at(7));
        assert.equal((await store.getAgent(ada.id))?.lastAutoAssignedAt, at(7));

        const one = await newConversation(store);
        const two = await newConversation(store);
        const closed = await newConversation(store);
        for (const conversation of [one, two, closed])
          await store.updateConversation(conversation.id, { assigneeId: ada.id });
        await store.updateConversation(closed.id, { status: "closed" });
        assert.deepEqual([...(await store.countActiveAssigned([ada.id]))], [[ada.id, 2]]);
        // Pending still wants work; snoozed does not.
        await store.updateConversation(one.id, { state: "pending" });
        assert.deepEqual([...(await store.countActiveAssigned([ada.id]))], [[ada.id, 2]]);
        await store.updateConversation(two.id, { state: "snoozed", snoozedUntil: null });
        assert.deepEqual([...(await store.countActiveAssigned([ada.id]))], [[ada.id, 1]]);
        assert.deepEqual([...(await store.countActiveAssigned([]))], []);
      }));
  });
}
