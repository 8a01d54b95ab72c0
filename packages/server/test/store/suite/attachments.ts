/** Attachments: created unattached, claimed by exactly one message atomically, swept when detached. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AttachmentsUnavailableError, UploadQuotaExceededError } from "../../../src/store/errors.js";
import type { NewAttachment, Store } from "../../../src/store/store.js";
import {
  agentMessage,
  at,
  newAgent,
  newConversation,
  visitorMessage,
  withStore,
  type StoreFactory,
} from "./harness.js";

let keys = 0;

function upload(by: { token: string } | { agentId: number }, when: string): NewAttachment {
  keys += 1;
  return {
    storageKey: `ab/key-${keys}`,
    thumbnailKey: null,
    filename: `file-${keys}.txt`,
    contentType: "text/plain",
    byteSize: 12,
    width: null,
    height: null,
    uploadedBy: "token" in by ? "visitor" : "agent",
    visitorToken: "token" in by ? by.token : null,
    agentId: "agentId" in by ? by.agentId : null,
    uploaderIp: null,
    at: when,
  };
}

const visitorClaim = (ids: number[], token: string) => ({
  ids,
  uploader: { kind: "visitor" as const, token },
  createdSince: at(0),
});

async function count(store: Store, conversationId: number): Promise<number> {
  return (await store.listMessages(conversationId, { limit: 100 })).length;
}

export function attachmentTests(fresh: StoreFactory): void {
  describe("attachments", () => {
    it("stores an upload with every field, unattached", () =>
      withStore(fresh, async (store) => {
        const created = await store.createAttachment({
          ...upload({ token: "t-0000000000000001" }, at(1)),
          width: 40,
          height: 30,
          thumbnailKey: "ab/thumb",
        });
        assert.equal(typeof created.id, "number");
        assert.deepEqual(await store.getAttachment(created.id), created);
        assert.equal(created.messageId, null);
        assert.equal(created.attachedAt, null);
        assert.deepEqual(
          [created.width, created.height, created.thumbnailKey, created.createdAt],
          [40, 30, "ab/thumb", at(1)],
        );
        assert.deepEqual(await store.getAttachments([created.id, 999_999]), [created]);
        assert.deepEqual(await store.getAttachments([]), []);
      }));

    it("links a visitor's own uploads to their message in its transaction", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const token = conversation.visitorToken;
        const first = await store.createAttachment(upload({ token }, at(1)));
        const second = await store.createAttachment(upload({ token }, at(2)));
        const { message, attachments } = await store.appendMessage({
          ...visitorMessage(conversation.id, "", at(3)),
          attachments: visitorClaim([second.id, first.id], token),
        });
        assert.deepEqual(
          attachments.map((a) => [a.id, a.messageId, a.attachedAt]),
          [
            [first.id, message.id, at(3)],
            [second.id, message.id, at(3)],
          ],
        );
        assert.deepEqual(await store.listAttachmentsOfMessages([message.id]), attachments);
      }));

    it("reads a conversation with its latest message's file count and first file name", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const token = conversation.visitorToken;
        const [first, second, third] = [
          await store.createAttachment({ ...upload({ token }, at(1)), filename: "photo.png" }),
          await store.createAttachment({ ...upload({ token }, at(2)), filename: "b.pdf" }),
          await store.createAttachment({ ...upload({ token }, at(3)), filename: "c.txt" }),
        ];
        await store.appendMessage({
          ...visitorMessage(conversation.id, "", at(4)),
          attachments: visitorClaim([third.id, first.id, second.id], token),
        });
        const read = [
          await store.getConversation(conversation.id),
          await store.findConversationByToken(token),
          (await store.listConversations({ limit: 10 }))[0],
        ];
        for (const found of read)
          assert.deepEqual(found?.lastMessageFiles, { count: 3, firstName: "photo.png" });

        // The next message has no files: its preview is its own text.
        await store.appendMessage(visitorMessage(conversation.id, "and a question", at(5)));
        assert.equal((await store.getConversation(conversation.id))?.lastMessageFiles, null);
        assert.equal((await newConversation(store)).lastMessageFiles, null);
      }));

    it("stores nothing when any upload is someone else's, attached, or too old", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const token = conversation.visitorToken;
        const agent = await newAgent(store, "ada");
        const own = await store.createAttachment(upload({ token }, at(5)));
        const stranger = await store.createAttachment(upload({ token: "someone-else-0000001" }, at(5)));
        const agents = await store.createAttachment(upload({ agentId: agent.id }, at(5)));
        const old = await store.createAttachment(upload({ token }, at(0)));
        for (const ids of [[own.id, stranger.id], [agents.id], [old.id], [own.id, 999_999]]) {
          await assert.rejects(
            store.appendMessage({
              ...visitorMessage(conversation.id, "x", at(6)),
              attachments: { ...visitorClaim(ids, token), createdSince: at(1) },
            }),
            AttachmentsUnavailableError,
          );
        }
        assert.equal(await count(store, conversation.id), 0, "rolled back with the claim");
        assert.equal((await store.getAttachment(own.id))?.messageId, null);

        // An agent takes any agent's upload, never a visitor's.
        await assert.rejects(
          store.appendMessage({
            ...agentMessage(conversation.id, "", at(7), agent),
            attachments: { ids: [own.id], uploader: { kind: "agent" }, createdSince: at(0) },
          }),
          AttachmentsUnavailableError,
        );
        const sent = await store.appendMessage({
          ...agentMessage(conversation.id, "", at(7), agent),
          attachments: { ids: [agents.id], uploader: { kind: "agent" }, createdSince: at(0) },
        });
        assert.equal(sent.attachments[0]?.id, agents.id);
        // Once attached, never again.
        await assert.rejects(
          store.appendMessage({
            ...agentMessage(conversation.id, "", at(8), agent),
            attachments: { ids: [agents.id], uploader: { kind: "agent" }, createdSince: at(0) },
          }),
          AttachmentsUnavailableError,
        );
      }));

    it("caps what one address holds unattached, until a message carries some", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const token = conversation.visitorToken;
        const quota = { maxHeldBytes: 30 };
        const from = (ip: string | null, when: string) => ({ ...upload({ token }, when), uploaderIp: ip });
        const first = await store.createAttachment(from("203.0.113.7", at(1)), quota);
        const second = await store.createAttachment(from("203.0.113.7", at(2)), quota);
        assert.equal(first.uploaderIp, "203.0.113.7");
        assert.deepEqual(await store.heldUploads("203.0.113.7"), { bytes: 24, oldestAt: at(1) });
        await assert.rejects(
          store.createAttachment(from("203.0.113.7", at(3)), quota),
          (error: unknown) =>
            error instanceof UploadQuotaExceededError &&
            error.held.bytes === 24 &&
            error.held.oldestAt === at(1),
        );
        // Other addresses, and rows without one (agents'), are not counted against it.
        await store.createAttachment(from("2001:db8::1", at(3)), quota);
        await store.createAttachment(from(null, at(3)), quota);
        assert.deepEqual(await store.heldUploads("203.0.113.7"), { bytes: 24, oldestAt: at(1) });

        // Attached: no longer held, and the address is not kept with it.
        await store.appendMessage({
          ...visitorMessage(conversation.id, "", at(4)),
          attachments: visitorClaim([first.id], token),
        });
        assert.equal((await store.getAttachment(first.id))?.uploaderIp, null);
        assert.deepEqual(await store.heldUploads("203.0.113.7"), { bytes: 12, oldestAt: at(2) });
        await store.createAttachment(from("203.0.113.7", at(5)), quota);
        // Swept: gone from the sum too.
        await store.deleteAttachments([second.id]);
        assert.deepEqual(await store.heldUploads("203.0.113.7"), { bytes: 12, oldestAt: at(5) });
        assert.deepEqual(await store.heldUploads("198.51.100.1"), { bytes: 0, oldestAt: null });
      }));

    it("lets concurrent uploads of one address fill its quota exactly, never past it", () =>
      withStore(fresh, async (store) => {
        const results = await Promise.allSettled(
          Array.from({ length: 12 }, (_, i) =>
            store.createAttachment(
              { ...upload({ token: "t-0000000000000009" }, at(i)), uploaderIp: "192.0.2.5" },
              { maxHeldBytes: 60 },
            ),
          ),
        );
        assert.equal(results.filter((result) => result.status === "fulfilled").length, 5);
        for (const result of results) {
          if (result.status === "rejected")
            assert.ok(result.reason instanceof UploadQuotaExceededError, String(result.reason));
        }
        assert.equal((await store.heldUploads("192.0.2.5")).bytes, 60);
      }));

    it("lets exactly one of two concurrent messages claim an upload", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const token = conversation.visitorToken;
        const file = await store.createAttachment(upload({ token }, at(1)));
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) =>
            store.appendMessage({
              ...visitorMessage(conversation.id, `try ${i}`, at(2)),
              attachments: visitorClaim([file.id], token),
            }),
          ),
        );
        assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
        assert.equal(await count(store, conversation.id), 1);
      }));

    it("answers a retried send with the first send's attachments", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const token = conversation.visitorToken;
        const file = await store.createAttachment(upload({ token }, at(1)));
        const first = await store.appendMessage({
          ...visitorMessage(conversation.id, "", at(2), "send-1"),
          attachments: visitorClaim([file.id], token),
        });
        const retry = await store.appendMessage({
          ...visitorMessage(conversation.id, "", at(3), "send-1"),
          attachments: visitorClaim([file.id], token),
        });
        assert.equal(retry.created, false);
        assert.deepEqual(retry.attachments, first.attachments);
      }));

    it("detaches files when their conversation is deleted, and lists them with old unattached uploads", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        const token = conversation.visitorToken;
        const sent = await store.createAttachment(upload({ token }, at(10)));
        const stray = await store.createAttachment(upload({ token }, at(1)));
        const fresh = await store.createAttachment(upload({ token }, at(20)));
        await store.appendMessage({
          ...visitorMessage(conversation.id, "", at(11)),
          attachments: visitorClaim([sent.id], token),
        });
        assert.deepEqual(
          (await store.listDiscardableAttachments(at(5), 10)).map((a) => a.id),
          [stray.id],
        );

        assert.equal(await store.deleteConversation(conversation.id), true);
        const detached = await store.getAttachment(sent.id);
        assert.deepEqual([detached?.messageId, detached?.attachedAt], [null, at(11)]);
        assert.deepEqual(
          (await store.listDiscardableAttachments(at(5), 10)).map((a) => a.id),
          [stray.id, sent.id],
        );
        assert.deepEqual(
          (await store.listDiscardableAttachments(at(5), 1)).map((a) => a.id),
          [stray.id],
        );

        assert.equal(await store.deleteAttachments([stray.id, sent.id, 999_999]), 2);
        assert.deepEqual(await store.getAttachments([stray.id, sent.id, fresh.id]), [fresh]);
        assert.equal(await store.deleteAttachments([]), 0);
      }));
  });
}
