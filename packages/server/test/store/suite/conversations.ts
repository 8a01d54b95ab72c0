/** Conversations: one per token, counters, patches, deletion. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { StoredConversation } from "../../../src/store/store.js";
import {
  agentMessage,
  at,
  newAgent,
  newConversation,
  newToken,
  visitorMessage,
  withStore,
  type StoreFactory,
} from "./harness.js";

export function conversationTests(fresh: StoreFactory): void {
  describe("conversations", () => {
    it("creates a conversation once per token and returns it afterwards", () =>
      withStore(fresh, async (store) => {
        const token = newToken();
        const defaultSiteId = (await store.getDefaultSite()).id;
        const first = await store.createConversation({
          token,
          visitorName: "Vera",
          createdIp: "203.0.113.9",
          siteId: defaultSiteId,
          at: at(1),
        });
        assert.equal(first.created, true);
        assert.deepEqual(first.conversation, {
          id: first.conversation.id,
          visitorToken: token,
          visitorName: "Vera",
          status: "open",
          assigneeId: null,
          unreadCount: 0,
          lastReadMessageId: 0,
          createdAt: at(1),
          updatedAt: at(1),
          visitorLastSeenAt: null,
          siteId: defaultSiteId,
          contactId: null,
          state: "open",
          snoozedUntil: null,
          labelIds: [],
          lastMessage: null,
          lastMessageFiles: null,
          ratingRequestedAt: null,
          rating: null,
        });
        const again = await store.createConversation({
          token,
          visitorName: "Other",
          createdIp: null,
          siteId: defaultSiteId,
          at: at(2),
        });
        assert.equal(again.created, false);
        assert.deepEqual(again.conversation, first.conversation);
        assert.deepEqual(await store.findConversationByToken(token), first.conversation);
        assert.deepEqual(await store.getConversation(first.conversation.id), first.conversation);
        assert.equal(await store.findConversationByToken(newToken()), undefined);
        assert.equal(await store.getConversation(9_999_999), undefined);
      }));

    it("reads a conversation bare: all of it but its latest message, labels and rating included", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store, { visitorName: "Vera" });
        const { visitorToken: token } = conversation;
        const withoutLatest = ({ lastMessage: _m, lastMessageFiles: _f, ...rest }: StoredConversation) =>
          rest;
        // Nothing joined yet: no message, no label, no rating.
        assert.deepEqual(
          await store.findBareConversationByToken(token),
          withoutLatest((await store.findConversationByToken(token))!),
        );

        await store.appendMessage(visitorMessage(conversation.id, "Hello", at(1)));
        const [red, blue] = [
          await store.createLabel({ name: "Red", color: "#ff0000", at: at(0) }),
          await store.createLabel({ name: "Blue", color: "#0000ff", at: at(0) }),
        ];
        await store.setConversationLabels(conversation.id, [blue.id, red.id]);
        await store.updateConversation(conversation.id, { state: "resolved" });
        await store.requestRating(conversation.id, at(2));
        await store.saveRating({ conversationId: conversation.id, score: 4, comment: "ok", at: at(3) });

        const full = (await store.findConversationByToken(token))!;
        assert.equal(full.lastMessage?.content, "Hello");
        assert.equal(full.labelIds.length, 2);
        assert.equal(full.rating?.score, 4);
        const bare = await store.findBareConversationByToken(token);
        assert.deepEqual(bare, withoutLatest(full));
        assert.equal(bare !== undefined && "lastMessage" in bare, false);
        assert.equal(await store.findBareConversationByToken(newToken()), undefined);
      }));

    it("reads several conversations by id at once, leaving out those that do not exist", () =>
      withStore(fresh, async (store) => {
        const [ann, bob, cid] = [
          await newConversation(store, { visitorName: "Ann" }),
          await newConversation(store, { visitorName: "Bob" }),
          await newConversation(store, { visitorName: "Cid" }),
        ];
        await store.appendMessage(visitorMessage(bob.id, "Hello", at(1)));
        const read = await store.getConversations([bob.id, 9_999_999, ann.id]);
        assert.deepEqual(
          read.sort((a, b) => a.id - b.id),
          [(await store.getConversation(ann.id))!, (await store.getConversation(bob.id))!],
        );
        assert.equal(read.find((conversation) => conversation.id === bob.id)?.lastMessage?.content, "Hello");
        assert.deepEqual(await store.getConversations([]), []);
        assert.equal((await store.getConversations([cid.id, cid.id])).length, 1);
      }));

    it("gives 20 concurrent creates for one token one row", () =>
      withStore(fresh, async (store) => {
        const token = newToken();
        const defaultSiteId = (await store.getDefaultSite()).id;
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.createConversation({
              token,
              visitorName: `v${i}`,
              createdIp: "198.51.100.1",
              siteId: defaultSiteId,
              at: at(i),
            }),
          ),
        );
        assert.equal(results.filter((result) => result.created).length, 1);
        assert.equal(new Set(results.map((result) => result.conversation.id)).size, 1);
        assert.equal(await store.countConversationsFromIpSince("198.51.100.1", at(0)), 1);
      }));

    it("counts unread visitor messages, bumps updated_at and sets the visitor's name when given", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store, { visitorName: "Vera", at: at(0) });
        const agent = await newAgent(store, "ada");
        await store.appendMessage(visitorMessage(conversation.id, "one", at(1)));
        await store.appendMessage({
          ...visitorMessage(conversation.id, "two", at(2)),
          visitorName: "Vera B.",
        });
        await store.appendMessage(visitorMessage(conversation.id, "three", at(3)));
        const reply = await store.appendMessage(agentMessage(conversation.id, "answer", at(4), agent));
        const after = await store.getConversation(conversation.id);
        assert.equal(after?.unreadCount, 3, "agents' messages are not unread");
        assert.equal(after?.updatedAt, at(4));
        assert.equal(after?.visitorName, "Vera B.", "a message without visitorName keeps the stored name");
        assert.deepEqual(after?.lastMessage, reply.message);
        await store.appendMessage({ ...visitorMessage(conversation.id, "four", at(5)), visitorName: null });
        assert.equal(
          (await store.getConversation(conversation.id))?.visitorName,
          null,
          "null clears the name",
        );
      }));

    it("marks a conversation read up to a message, never moving the mark backwards", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const ids: number[] = [];
        for (let i = 0; i < 3; i++) {
          ids.push((await store.appendMessage(visitorMessage(conversation.id, `m${i}`, at(i)))).message.id);
        }
        const read = await store.markConversationRead(conversation.id, ids[2]!);
        assert.equal(read?.unreadCount, 0);
        assert.equal(read?.lastReadMessageId, ids[2]);
        const late = await store.markConversationRead(conversation.id, ids[0]!);
        assert.equal(late?.lastReadMessageId, ids[2]);
        await store.appendMessage(visitorMessage(conversation.id, "new", at(9)));
        assert.equal((await store.getConversation(conversation.id))?.unreadCount, 1);
        assert.equal(await store.markConversationRead(9_999_999, 1), undefined);
      }));

    it("updates status, assignee, name, presence and activity time", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store, { visitorName: "Vera" });
        const agent = await newAgent(store, "ada");
        const updated = await store.updateConversation(conversation.id, {
          status: "closed",
          assigneeId: agent.id,
          visitorLastSeenAt: at(7),
          updatedAt: at(8),
        });
        assert.equal(updated?.status, "closed");
        assert.equal(updated?.assigneeId, agent.id);
        assert.equal(updated?.visitorLastSeenAt, at(7));
        assert.equal(updated?.updatedAt, at(8));
        assert.equal(updated?.visitorName, "Vera", "fields not in the patch stay");

        const cleared = await store.updateConversation(conversation.id, {
          assigneeId: null,
          visitorName: null,
        });
        assert.equal(cleared?.assigneeId, null);
        assert.equal(cleared?.visitorName, null);
        assert.equal(cleared?.status, "closed");
        assert.deepEqual(await store.updateConversation(conversation.id, {}), cleared);
        assert.equal(await store.updateConversation(9_999_999, { status: "open" }), undefined);
        assert.equal(await store.updateConversation(9_999_999, {}), undefined);
      }));

    it("deletes a conversation with its messages", () =>
      withStore(fresh, async (store) => {
        const doomed = await newConversation(store);
        const kept = await newConversation(store);
        await store.appendMessage(visitorMessage(doomed.id, "bye", at(1)));
        const keptMessage = (await store.appendMessage(visitorMessage(kept.id, "stay", at(2)))).message;
        assert.equal(await store.deleteConversation(doomed.id), true);
        assert.equal(await store.getConversation(doomed.id), undefined);
        assert.deepEqual(await store.listMessages(doomed.id, { limit: 10 }), []);
        assert.deepEqual(await store.listMessagesSince(0, 10), [keptMessage]);
        assert.equal(await store.deleteConversation(doomed.id), false);
        // The token is free again: the visitor starts over.
        const defaultSiteId = (await store.getDefaultSite()).id;
        const again = await store.createConversation({
          token: doomed.visitorToken,
          visitorName: null,
          createdIp: null,
          siteId: defaultSiteId,
          at: at(3),
        });
        assert.equal(again.created, true);
      }));

    it("counts the conversations an address started since a time", () =>
      withStore(fresh, async (store) => {
        await newConversation(store, { ip: "192.0.2.1", at: at(10) });
        await newConversation(store, { ip: "192.0.2.1", at: at(20) });
        await newConversation(store, { ip: "192.0.2.1", at: at(30) });
        await newConversation(store, { ip: "192.0.2.2", at: at(30) });
        await newConversation(store, { ip: null, at: at(30) });
        const count = await store.countConversationsFromIpSince("192.0.2.1", at(20));
        assert.equal(count, 2);
        assert.equal(typeof count, "number");
        assert.equal(await store.countConversationsFromIpSince("192.0.2.3", at(0)), 0);
      }));
  });
}
