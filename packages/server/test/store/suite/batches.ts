/**
 * Appends that share a group commit's batch (on Postgres, one INSERT and one UPDATE for the whole
 * batch): each must get what it would have got alone, in the order it was called. Appends called
 * in one tick form batches deterministically: on Postgres the first commits alone (nothing else
 * is committing) and every later one joins the next batch; on SQLite all of them go together.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AttachmentsUnavailableError } from "../../../src/store/errors.js";
import type { Store } from "../../../src/store/store.js";
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

const outcome = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

async function visitorUpload(store: Store, token: string, when: string) {
  return store.createAttachment({
    storageKey: `ba/${token}-${when}`,
    thumbnailKey: null,
    filename: "note.txt",
    contentType: "text/plain",
    byteSize: 5,
    width: null,
    height: null,
    uploadedBy: "visitor",
    visitorToken: token,
    agentId: null,
    uploaderIp: null,
    at: when,
  });
}

export function batchTests(fresh: StoreFactory): void {
  describe("appends in one batch", () => {
    it("gives each append its own result: ids in call order, retries stored once, conversations counted once", () =>
      withStore(fresh, async (store) => {
        const a = await newConversation(store, { visitorName: "Ann" });
        const b = await newConversation(store);
        const agent = await newAgent(store, "ada");
        const earlier = await store.appendMessage(visitorMessage(a.id, "earlier", at(1), "c-old"));
        const token = newToken();
        const siteId = (await store.getDefaultSite()).id;

        const leader = store.appendMessage(visitorMessage(a.id, "leader", at(2)));
        const batch = [
          store.appendMessage(visitorMessage(a.id, "one", at(3), "c-1")),
          store.appendMessage(agentMessage(b.id, "reply", at(4), agent)),
          store.appendMessage(visitorMessage(a.id, "one (retry)", at(5), "c-1")),
          store.appendMessage(visitorMessage(a.id, "earlier (retry)", at(6), "c-old")),
          store.appendMessage({ ...visitorMessage(b.id, "renamed", at(7), "c-2"), visitorName: "Bea" }),
          store.appendMessage(visitorMessage(a.id, "no client id", at(8))),
          store.appendFirstMessage({
            sender: "visitor",
            content: "first",
            clientId: "c-1",
            agentId: null,
            agentName: null,
            at: at(9),
            conversation: { token, visitorName: "Cy", createdIp: null, siteId },
          }),
          store.appendMessage(visitorMessage(a.id, "one (second retry)", at(10), "c-1")),
        ] as const;
        const first = await leader;
        const [one, reply, oneRetry, earlierRetry, renamed, noClientId, started, oneRetry2] =
          await Promise.all(batch);

        assert.deepEqual(
          [one, reply, oneRetry, earlierRetry, renamed, noClientId, started, oneRetry2].map((r) => r.created),
          [true, true, false, false, true, true, true, false],
        );
        assert.deepEqual(oneRetry.message, one.message, "a retry in the same batch gets the first send");
        assert.deepEqual(oneRetry2.message, one.message);
        assert.equal(one.message.content, "one");
        assert.deepEqual(earlierRetry.message, earlier.message, "a retry of an earlier batch gets it");
        assert.equal(started.message.conversationId, started.conversation.id);
        assert.equal(started.message.clientId, "c-1", "client ids are per conversation");
        assert.equal(started.conversation.visitorName, "Cy");

        const createdInCallOrder = [first, one, reply, renamed, noClientId, started].map((r) => r.message);
        for (const [i, message] of createdInCallOrder.entries()) {
          assert.ok(i === 0 || message.id > createdInCallOrder[i - 1]!.id, "ids grow in call order");
        }
        assert.deepEqual(
          (await store.listMessagesSince(earlier.message.id, 100)).map((message) => message.id),
          createdInCallOrder.map((message) => message.id),
          "every new message stored once, in id order",
        );
        assert.deepEqual(
          (await store.listMessages(a.id, { limit: 10 })).map((message) => message.content),
          ["earlier", "leader", "one", "no client id"],
        );

        const afterA = await store.getConversation(a.id);
        assert.equal(afterA?.unreadCount, 4, "earlier, leader, one, no client id: retries not counted");
        assert.equal(afterA?.updatedAt, at(8), "the time of its last new message, not of a retry");
        assert.equal(afterA?.visitorName, "Ann", "no message carried a name: kept");
        const afterB = await store.getConversation(b.id);
        assert.equal(afterB?.unreadCount, 1, "the agent's reply is not unread");
        assert.equal(afterB?.updatedAt, at(7));
        assert.equal(afterB?.visitorName, "Bea");
        const afterC = await store.findConversationByToken(token);
        assert.equal(afterC?.unreadCount, 1);
        assert.equal(afterC?.updatedAt, at(9));
      }));

    it("creates a batch's new conversations in call order, once per visitor, and finds those that exist", () =>
      withStore(fresh, async (store) => {
        const siteId = (await store.getDefaultSite()).id;
        const existing = await newConversation(store, { visitorName: "Old" });
        const first = (token: string, content: string, when: string, visitorName: string | null = null) =>
          store.appendFirstMessage({
            sender: "visitor",
            content,
            clientId: null,
            agentId: null,
            agentName: null,
            at: when,
            conversation: { token, visitorName, createdIp: "192.0.2.7", siteId },
          });
        const [x, y] = [newToken(), newToken()];
        const leader = store.appendMessage(visitorMessage(existing.id, "leader", at(1)));
        const results = await Promise.all([
          first(x, "x one", at(2), "Xena"),
          first(y, "y one", at(3)),
          first(x, "x two", at(4)),
          first(existing.visitorToken, "old again", at(5)),
        ]);
        await leader;
        const [xOne, yOne, xTwo, oldAgain] = results;

        assert.ok(xOne.conversation.id < yOne.conversation.id, "conversations created in call order");
        assert.equal(xTwo.conversation.id, xOne.conversation.id, "one conversation per visitor");
        assert.equal(oldAgain.conversation.id, existing.id, "an existing conversation is found, not made");
        assert.equal(xOne.conversation.visitorName, "Xena");
        assert.deepEqual(
          (await store.listMessages(xOne.conversation.id, { limit: 10 })).map((message) => message.content),
          ["x one", "x two"],
        );
        const afterX = await store.findConversationByToken(x);
        assert.equal(afterX?.unreadCount, 2);
        assert.equal(afterX?.updatedAt, at(4));
        assert.equal(afterX?.createdAt, at(2));
        assert.deepEqual(
          (await store.listMessages(existing.id, { limit: 10 })).map((message) => message.content),
          ["leader", "old again"],
        );
      }));

    it("fails one bad append alone, with its own error, and stores the rest of its batch", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const token = "visitor-token-of-batch";
        const upload = await visitorUpload(store, token, at(1));
        const claim = (ids: number[]) => ({
          ids,
          uploader: { kind: "visitor" as const, token },
          createdSince: at(0),
        });

        const leader = store.appendMessage(visitorMessage(conversation.id, "leader", at(2)));
        const results = await Promise.all([
          outcome(store.appendMessage(visitorMessage(conversation.id, "good 1", at(3), "g1"))),
          outcome(
            store.appendMessage({
              ...visitorMessage(conversation.id, "with file", at(4), "f1"),
              attachments: claim([upload.id]),
            }),
          ),
          // Claims an upload that does not exist: nothing of it may be stored.
          outcome(
            store.appendMessage({
              ...visitorMessage(conversation.id, "bad", at(5), "bad"),
              attachments: claim([upload.id + 1000]),
            }),
          ),
          outcome(
            store.appendMessage({
              ...visitorMessage(conversation.id, "with file (retry)", at(6), "f1"),
              attachments: claim([upload.id]),
            }),
          ),
          outcome(store.appendMessage(visitorMessage(conversation.id, "good 2", at(7)))),
        ]);
        await leader;

        const [good1, withFile, bad, withFileRetry, good2] = results;
        assert.ok(
          bad && !bad.ok && bad.error instanceof AttachmentsUnavailableError,
          "the bad one's own error",
        );
        for (const result of [good1, withFile, withFileRetry, good2]) assert.ok(result?.ok);
        if (!withFile?.ok || !withFileRetry?.ok || !good1?.ok || !good2?.ok) return;
        assert.deepEqual(
          withFile.value.attachments.map((attachment) => attachment.id),
          [upload.id],
        );
        assert.equal(withFileRetry.value.created, false);
        assert.deepEqual(withFileRetry.value.attachments, withFile.value.attachments);
        assert.ok(good1.value.message.id < withFile.value.message.id);
        assert.ok(withFile.value.message.id < good2.value.message.id);

        assert.deepEqual(
          (await store.listMessages(conversation.id, { limit: 10 })).map((message) => message.content),
          ["leader", "good 1", "with file", "good 2"],
        );
        const after = await store.getConversation(conversation.id);
        assert.equal(after?.unreadCount, 4, "the failed append counted nowhere");
        assert.equal((await store.getAttachment(upload.id))?.messageId, withFile.value.message.id);
      }));
  });
}
