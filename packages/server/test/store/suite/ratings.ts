/** (§18) Ratings: asked only while resolved, stored only while pending, credited, read with every conversation. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ratingPending } from "../../../src/store/ratingStore.js";
import {
  agentMessage,
  at,
  newAgent,
  newConversation,
  visitorMessage,
  withStore,
  type StoreFactory,
} from "./harness.js";

export function ratingTests(fresh: StoreFactory): void {
  describe("ratings", () => {
    it("asks only a resolved conversation, and stores a rating only while one is pending", () =>
      withStore(fresh, async (store) => {
        const conversation = await newConversation(store);
        assert.equal(await store.requestRating(conversation.id, at(1)), undefined);
        assert.equal(
          await store.saveRating({ conversationId: conversation.id, score: 5, comment: null, at: at(2) }),
          undefined,
        );
        await store.updateConversation(conversation.id, { state: "resolved" });
        // Resolved but never asked (a site without ratings): nothing to rate.
        assert.equal(
          await store.saveRating({ conversationId: conversation.id, score: 5, comment: null, at: at(2) }),
          undefined,
        );
        const asked = await store.requestRating(conversation.id, at(3));
        assert.equal(asked?.ratingRequestedAt, at(3));
        assert.equal(ratingPending(asked), true);
        const rated = await store.saveRating({
          conversationId: conversation.id,
          score: 4,
          comment: "ok",
          at: at(4),
        });
        assert.deepEqual(rated?.rating, { score: 4, comment: "ok", agentId: null, ratedAt: at(4) });
        assert.equal(ratingPending(rated), false);
        // Rated since it was asked: a second rate stores nothing.
        assert.equal(
          await store.saveRating({ conversationId: conversation.id, score: 1, comment: null, at: at(5) }),
          undefined,
        );
        // Asked again (resolved again): the next rate replaces the first.
        await store.requestRating(conversation.id, at(6));
        const again = await store.saveRating({
          conversationId: conversation.id,
          score: 2,
          comment: null,
          at: at(7),
        });
        assert.deepEqual(again?.rating, { score: 2, comment: null, agentId: null, ratedAt: at(7) });
        // Reopened: not pending, and a rate is refused.
        await store.requestRating(conversation.id, at(8));
        const reopened = await store.reopenForVisitor(conversation.id);
        assert.equal(ratingPending(reopened!), false);
        assert.equal(
          await store.saveRating({ conversationId: conversation.id, score: 3, comment: null, at: at(9) }),
          undefined,
        );
      }));

    it("of two rates at once, one is stored and the other finds nothing pending", () =>
      withStore(fresh, async (store) => {
        for (let round = 0; round < 5; round++) {
          const conversation = await newConversation(store);
          await store.updateConversation(conversation.id, { state: "resolved" });
          await store.requestRating(conversation.id, at(1));
          const results = await Promise.all(
            [2, 5].map((score) =>
              store.saveRating({ conversationId: conversation.id, score, comment: null, at: at(2) }),
            ),
          );
          const stored = results.filter((result) => result !== undefined);
          assert.equal(stored.length, 1, `round ${round}`);
          assert.equal(
            (await store.getConversation(conversation.id))?.rating?.score,
            stored[0]!.rating!.score,
          );
        }
      }));

    it("credits the assignee, else the last agent who replied, else nobody; lists read the rating", () =>
      withStore(fresh, async (store) => {
        const ann = await newAgent(store, "ann");
        const bob = await newAgent(store, "bob");
        const rate = async (setup: (id: number) => Promise<unknown>) => {
          const conversation = await newConversation(store);
          await store.appendMessage(visitorMessage(conversation.id, "hi", at(1)));
          await setup(conversation.id);
          await store.updateConversation(conversation.id, { state: "resolved" });
          await store.requestRating(conversation.id, at(10));
          return (await store.saveRating({
            conversationId: conversation.id,
            score: 5,
            comment: null,
            at: at(11),
          }))!;
        };
        const repliedLast = await rate(async (id) => {
          await store.appendMessage(agentMessage(id, "a", at(2), ann));
          await store.appendMessage(agentMessage(id, "b", at(3), bob));
          await store.appendMessage(visitorMessage(id, "thanks", at(4)));
        });
        assert.equal(repliedLast.rating?.agentId, bob.id);
        const assigned = await rate(async (id) => {
          await store.appendMessage(agentMessage(id, "a", at(2), bob));
          await store.updateConversation(id, { assigneeId: ann.id });
        });
        assert.equal(assigned.rating?.agentId, ann.id);
        const nobody = await rate(async () => undefined);
        assert.equal(nobody.rating?.agentId, null);

        const listed = await store.listConversations({ limit: 10 });
        assert.deepEqual(
          listed.map((each) => [each.id, each.rating?.agentId]).sort((a, b) => a[0]! - b[0]!),
          [
            [repliedLast.id, bob.id],
            [assigned.id, ann.id],
            [nobody.id, null],
          ],
        );
        // Deleted with its conversation.
        await store.deleteConversation(assigned.id);
        assert.equal((await store.getConversation(assigned.id))?.rating, undefined);
      }));
  });
}
