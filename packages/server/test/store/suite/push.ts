/** What web push keeps besides subscriptions: lookups by id, who has any, and the throttle. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { at, newAgent, newConversation, withStore, type StoreFactory } from "./harness.js";

export function pushTests(fresh: StoreFactory): void {
  describe("push delivery state", () => {
    it("finds and deletes a subscription by id, and lists the agents that have one", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        const bob = await newAgent(store, "bob");
        await newAgent(store, "cy");
        assert.deepEqual(await store.listPushSubscribedAgentIds(), []);
        const subscription = { endpoint: "https://push.example/1", p256dh: "p", auth: "a", at: at(1) };
        const bobs = await store.savePushSubscription({ ...subscription, agentId: bob.id });
        const adas = await store.savePushSubscription({ ...subscription, agentId: ada.id });
        await store.savePushSubscription({
          ...subscription,
          agentId: ada.id,
          endpoint: "https://push.example/2",
        });
        assert.deepEqual(await store.listPushSubscribedAgentIds(), [ada.id, bob.id]);

        assert.deepEqual(await store.getPushSubscription(adas.id), adas);
        assert.equal(await store.deletePushSubscriptionById(bobs.id), true);
        assert.equal(await store.deletePushSubscriptionById(bobs.id), false);
        assert.equal(await store.getPushSubscription(bobs.id), undefined);
        assert.deepEqual(await store.listPushSubscribedAgentIds(), [ada.id]);
      }));

    it("keeps an agent's newest subscriptions when asked to, in one save", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        const bob = await newAgent(store, "bob");
        const save = (agentId: number, n: number) =>
          store.savePushSubscription({
            agentId,
            endpoint: `https://push.example/${n}`,
            p256dh: "p",
            auth: "a",
            at: at(n),
            keepNewest: 3,
          });
        await save(bob.id, 0);
        for (const n of [1, 2, 3, 4, 5]) await save(ada.id, n);
        await save(ada.id, 3);
        const endpoints = async (agentId: number) =>
          (await store.listPushSubscriptions(agentId)).map((row) => row.endpoint);
        assert.deepEqual(await endpoints(ada.id), [
          "https://push.example/3",
          "https://push.example/4",
          "https://push.example/5",
        ]);
        assert.deepEqual(await endpoints(bob.id), ["https://push.example/0"]);
      }));

    it("lists an agent as subscribed until they unsubscribe or are removed, at once", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        const bob = await newAgent(store, "bob");
        const subscription = { endpoint: "https://push.example/1", p256dh: "p", auth: "a", at: at(1) };
        assert.deepEqual(await store.listPushSubscribedAgentIds(), []);
        await store.savePushSubscription({ ...subscription, agentId: ada.id });
        await store.savePushSubscription({ ...subscription, agentId: bob.id });
        assert.deepEqual(await store.listPushSubscribedAgentIds(), [ada.id, bob.id]);
        assert.equal(await store.deletePushSubscription(ada.id, subscription.endpoint), true);
        assert.deepEqual(await store.listPushSubscribedAgentIds(), [bob.id]);
        assert.equal(await store.deleteAgent(bob.id), true);
        assert.deepEqual(await store.listPushSubscribedAgentIds(), []);
      }));

    it("records the last push per agent and conversation, and forgets it with either", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        const bob = await newAgent(store, "bob");
        const conversation = await newConversation(store);
        assert.equal(await store.getPushThrottle(ada.id, conversation.id), undefined);
        const first = {
          agentId: ada.id,
          conversationId: conversation.id,
          lastSentAt: at(1),
          lastMessageId: 3,
        };
        await store.recordPushSent(first);
        assert.deepEqual(await store.getPushThrottle(ada.id, conversation.id), first);
        await store.recordPushSent({ ...first, lastSentAt: at(61), lastMessageId: 7 });
        assert.deepEqual(await store.getPushThrottle(ada.id, conversation.id), {
          ...first,
          lastSentAt: at(61),
          lastMessageId: 7,
        });
        await store.recordPushSent({ ...first, agentId: bob.id });
        assert.equal(await store.deleteAgent(ada.id), true);
        assert.equal(await store.getPushThrottle(ada.id, conversation.id), undefined);
        assert.equal(await store.deleteConversation(conversation.id), true);
        assert.equal(await store.getPushThrottle(bob.id, conversation.id), undefined);
      }));
  });
}
