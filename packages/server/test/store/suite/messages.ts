/** Appending and reading messages: id order, idempotent retries, paging, catch-up. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
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

export function messageTests(fresh: StoreFactory): void {
  describe("messages", () => {
    it("stores a message with every field and returns it as stored", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const agent = await newAgent(store, "ada");
        const { message, created } = await store.appendMessage(
          agentMessage(conversation.id, "Hello", at(5), agent),
        );
        assert.equal(created, true);
        assert.equal(typeof message.id, "number");
        assert.deepEqual(message, {
          id: message.id,
          conversationId: conversation.id,
          sender: "admin",
          content: "Hello",
          createdAt: at(5),
          clientId: null,
          agentId: agent.id,
          agentName: "Agent ada",
        });
        assert.deepEqual(await store.listMessages(conversation.id, { limit: 10 }), [message]);
      }));

    it("gives ids that grow strictly across conversations and are never reused after a delete", () =>
      withStore(fresh, async (store) => {
        const first = await newConversation(store);
        const second = await newConversation(store);
        const ids: number[] = [];
        for (let i = 0; i < 6; i++) {
          const target = i % 2 === 0 ? first : second;
          ids.push((await store.appendMessage(visitorMessage(target.id, `m${i}`, at(i)))).message.id);
        }
        for (let i = 1; i < ids.length; i++)
          assert.ok(ids[i]! > ids[i - 1]!, `ids ${ids.join(",")} must grow`);

        // Deleting the conversation that holds the highest id must not free that id.
        assert.equal(await store.deleteConversation(second.id), true);
        const third = await newConversation(store);
        assert.ok(third.id > second.id, "conversation ids are not reused either");
        const next = await store.appendMessage(visitorMessage(third.id, "after delete", at(10)));
        assert.ok(next.message.id > Math.max(...ids), `${next.message.id} must exceed ${Math.max(...ids)}`);
      }));

    it("stores a retried send (same client_id) once and returns the stored message", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const first = await store.appendMessage(visitorMessage(conversation.id, "hi", at(1), "client-1"));
        const retry = await store.appendMessage(
          visitorMessage(conversation.id, "hi (retry)", at(2), "client-1"),
        );
        assert.equal(first.created, true);
        assert.equal(retry.created, false);
        assert.deepEqual(retry.message, first.message);
        assert.equal(retry.message.content, "hi");
        const after = await store.getConversation(conversation.id);
        assert.equal(after?.unreadCount, 1, "a retry does not count as a new unread message");
        assert.equal(after?.updatedAt, at(1), "a retry does not bump the conversation");
        assert.equal((await store.listMessages(conversation.id, { limit: 10 })).length, 1);

        // The same client_id in another conversation is another message.
        const other = await newConversation(store);
        const elsewhere = await store.appendMessage(visitorMessage(other.id, "hi", at(3), "client-1"));
        assert.equal(elsewhere.created, true);
        assert.notEqual(elsewhere.message.id, first.message.id);
      }));

    it("stores one row for 20 concurrent appends with one client_id", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.appendMessage(visitorMessage(conversation.id, `attempt ${i}`, at(i), "same-client")),
          ),
        );
        assert.equal(results.filter((result) => result.created).length, 1);
        assert.equal(new Set(results.map((result) => result.message.id)).size, 1);
        assert.equal((await store.listMessages(conversation.id, { limit: 50 })).length, 1);
        assert.equal((await store.getConversation(conversation.id))?.unreadCount, 1);
      }));

    it("keeps every one of 20 concurrent appends without a client_id, with distinct ids and counts", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.appendMessage(visitorMessage(conversation.id, `m${i}`, at(1))),
          ),
        );
        assert.ok(results.every((result) => result.created));
        assert.equal(new Set(results.map((result) => result.message.id)).size, 20);
        const stored = await store.listMessages(conversation.id, { limit: 50 });
        assert.equal(stored.length, 20);
        assert.equal((await store.getConversation(conversation.id))?.unreadCount, 20);
      }));

    it("creates a visitor's conversation with the first message, once for concurrent first messages", () =>
      withStore(fresh, async (store) => {
        const token = newToken();
        const siteId = (await store.getDefaultSite()).id;
        const first = (i: number) => {
          const { conversationId: _unused, ...message } = visitorMessage(0, `hello ${i}`, at(1), `c${i}`);
          return {
            ...message,
            visitorName: "Ada",
            conversation: { token, visitorName: "Ada", createdIp: "192.0.2.1", siteId },
          };
        };
        const results = await Promise.all(
          Array.from({ length: 5 }, (_, i) => store.appendFirstMessage(first(i))),
        );
        const ids = new Set(results.map((result) => result.conversation.id));
        assert.equal(ids.size, 1, "one conversation for the token");
        assert.ok(
          results.every(
            (result) => result.created && result.message.conversationId === results[0]!.conversation.id,
          ),
        );
        const stored = await store.findConversationByToken(token);
        assert.equal(stored?.unreadCount, 5);
        assert.equal(stored?.visitorName, "Ada");
        assert.equal(await store.countConversationsFromIpSince("192.0.2.1", at(0)), 1);
        assert.equal((await store.listMessages(stored.id, { limit: 10 })).length, 5);
        // A retry of the first send is the same message, not a second one.
        const retried = await store.appendFirstMessage(first(0));
        assert.equal(retried.created, false);
        assert.equal(retried.message.id, results[0]!.message.id);
      }));

    it("reports the latest message id, 0 when there is none", () =>
      withStore(fresh, async (store) => {
        assert.equal(await store.latestMessageId(), 0);
        const conversation = await newConversation(store);
        await store.appendMessage(visitorMessage(conversation.id, "one", at(1)));
        const { message } = await store.appendMessage(visitorMessage(conversation.id, "two", at(2)));
        assert.equal(await store.latestMessageId(), message.id);
      }));

    it("stores HTML and SQL-looking content verbatim", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const contents = [
          `<script>alert("x")</script> & <b>bold</b>`,
          `'); DROP TABLE messages; --`,
          `100% _sure_ \\ back\\slash "quoted" 'single'`,
          "emoji 👋🏽 and ünïcödé\nand a second line\ttab",
        ];
        for (const [i, content] of contents.entries()) {
          await store.appendMessage(visitorMessage(conversation.id, content, at(i)));
        }
        const stored = await store.listMessages(conversation.id, { limit: 10 });
        assert.deepEqual(
          stored.map((message) => message.content),
          contents,
        );
      }));

    it("pages back with beforeId: the newest `limit` older messages, oldest first", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const other = await newConversation(store);
        const ids: number[] = [];
        for (let i = 0; i < 10; i++) {
          ids.push((await store.appendMessage(visitorMessage(conversation.id, `m${i}`, at(i)))).message.id);
          await store.appendMessage(visitorMessage(other.id, `noise ${i}`, at(i)));
        }
        const idsOf = (messages: { id: number }[]) => messages.map((message) => message.id);

        assert.deepEqual(idsOf(await store.listMessages(conversation.id, { limit: 3 })), ids.slice(7));
        assert.deepEqual(idsOf(await store.listMessages(conversation.id, { limit: 50 })), ids);
        assert.deepEqual(
          idsOf(await store.listMessages(conversation.id, { beforeId: ids[7]!, limit: 3 })),
          ids.slice(4, 7),
        );
        assert.deepEqual(
          idsOf(await store.listMessages(conversation.id, { beforeId: ids[2]!, limit: 3 })),
          ids.slice(0, 2),
        );
        assert.deepEqual(
          idsOf(await store.listMessages(conversation.id, { beforeId: ids[0]!, limit: 3 })),
          [],
        );
        assert.deepEqual(
          idsOf(await store.listMessages(conversation.id, { afterId: ids[5]!, limit: 2 })),
          ids.slice(6, 8),
        );
        assert.deepEqual(
          idsOf(await store.listMessages(conversation.id, { afterId: ids[9]!, limit: 2 })),
          [],
        );
        assert.deepEqual(
          idsOf(await store.listMessages(conversation.id, { afterId: ids[1]!, beforeId: ids[8]!, limit: 3 })),
          ids.slice(5, 8),
        );
        assert.deepEqual(await store.listMessages(9_999_999, { limit: 10 }), []);
      }));

    it("lists every conversation's messages after an id, in id order", () =>
      withStore(fresh, async (store) => {
        const a = await newConversation(store);
        const b = await newConversation(store);
        const ids: number[] = [];
        for (let i = 0; i < 6; i++) {
          ids.push(
            (await store.appendMessage(visitorMessage(i % 2 ? a.id : b.id, `m${i}`, at(i)))).message.id,
          );
        }
        const since = await store.listMessagesSince(ids[1]!, 3);
        assert.deepEqual(
          since.map((message) => message.id),
          ids.slice(2, 5),
        );
        assert.deepEqual(
          since.map((message) => message.conversationId),
          [b.id, a.id, b.id],
        );
        assert.deepEqual(
          (await store.listMessagesSince(0, 100)).map((message) => message.id),
          ids,
        );
        assert.deepEqual(await store.listMessagesSince(ids[5]!, 10), []);
      }));

    it("never lets `since` catch-up skip a message while others are being written", () =>
      withStore(fresh, async (store) => {
        const conversations = await Promise.all(Array.from({ length: 4 }, () => newConversation(store)));
        const seen: number[] = [];
        let cursor = 0;
        let writing = true;
        const reader = (async () => {
          // A subscriber resuming with `since` = the highest id it holds, over and over.
          while (writing) {
            const batch = await store.listMessagesSince(cursor, 1000);
            for (const message of batch) seen.push(message.id);
            cursor = batch.at(-1)?.id ?? cursor;
            await new Promise((resolve) => setImmediate(resolve));
          }
        })();
        await Promise.all(
          Array.from({ length: 80 }, (_, i) =>
            store.appendMessage(visitorMessage(conversations[i % 4]!.id, `m${i}`, at(i))),
          ),
        );
        writing = false;
        await reader;
        for (const message of await store.listMessagesSince(cursor, 1000)) seen.push(message.id);
        const all = (await store.listMessagesSince(0, 1000)).map((message) => message.id);
        assert.equal(all.length, 80);
        assert.deepEqual(seen, all, "the reader saw every message exactly once, in id order");
      }));
  });
}
