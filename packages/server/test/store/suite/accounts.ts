/** Agents, their sessions and their push subscriptions. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { UniqueViolationError } from "../../../src/store/errors.js";
import { agentMessage, at, newAgent, newConversation, withStore, type StoreFactory } from "./harness.js";

export function accountTests(fresh: StoreFactory): void {
  describe("agents", () => {
    it("creates, finds, lists, updates and counts agents", () =>
      withStore(fresh, async (store) => {
        assert.equal(await store.countAgents(), 0);
        const owner = await store.createAgent({
          username: "owner",
          name: "Olga",
          role: "owner",
          passwordHash: "h1",
          at: at(1),
        });
        assert.deepEqual(owner, {
          id: owner.id,
          username: "owner",
          name: "Olga",
          role: "owner",
          passwordHash: "h1",
          createdAt: at(1),
          avatarFile: null,
          chosenAvailability: "online",
          lastAutoAssignedAt: null,
        });
        const agent = await newAgent(store, "ada");
        assert.equal(await store.countAgents(), 2);
        assert.deepEqual(await store.getAgent(owner.id), owner);
        assert.deepEqual(await store.findAgentByUsername("ada"), agent);
        assert.equal(await store.findAgentByUsername("nobody"), undefined);
        assert.equal(await store.getAgent(9_999_999), undefined);
        assert.deepEqual(await store.listAgents(), [owner, agent]);

        const renamed = await store.updateAgent(agent.id, {
          name: "Ada L.",
          role: "owner",
          passwordHash: "h2",
        });
        assert.deepEqual(renamed, { ...agent, name: "Ada L.", role: "owner", passwordHash: "h2" });
        assert.deepEqual(await store.updateAgent(agent.id, {}), renamed);
        assert.equal(await store.updateAgent(9_999_999, { name: "x" }), undefined);
        // (§14) The photo's name is set and cleared like the rest.
        const pictured = await store.updateAgent(agent.id, {
          avatarFile: `${agent.id}-0123456789abcdef.webp`,
        });
        assert.deepEqual(pictured, { ...renamed, avatarFile: `${agent.id}-0123456789abcdef.webp` });
        assert.deepEqual(await store.getAgent(agent.id), pictured);
        assert.deepEqual(await store.updateAgent(agent.id, { avatarFile: null }), renamed);
      }));

    it("refuses a second agent with the same username", () =>
      withStore(fresh, async (store) => {
        await newAgent(store, "ada");
        await assert.rejects(newAgent(store, "ada"), UniqueViolationError);
        assert.equal(await store.countAgents(), 1);
      }));

    it("deletes an agent with their sessions and subscriptions, keeping their messages", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        const bob = await newAgent(store, "bob");
        const conversation = await newConversation(store);
        await store.updateConversation(conversation.id, { assigneeId: ada.id });
        const { message } = await store.appendMessage(agentMessage(conversation.id, "hi", at(1), ada));
        await store.createSession({ id: "s-ada", agentId: ada.id, createdAt: at(1), expiresAt: at(100) });
        await store.createSession({ id: "s-bob", agentId: bob.id, createdAt: at(1), expiresAt: at(100) });
        await store.savePushSubscription({
          agentId: ada.id,
          endpoint: "https://push.example/ada",
          p256dh: "k",
          auth: "a",
          at: at(1),
        });

        assert.equal(await store.deleteAgent(ada.id), true);
        assert.equal(await store.deleteAgent(ada.id), false);
        assert.equal(await store.getAgent(ada.id), undefined);
        assert.equal(await store.findSession("s-ada"), undefined);
        assert.ok(await store.findSession("s-bob"));
        assert.deepEqual(await store.listPushSubscriptions(ada.id), []);
        const [kept] = await store.listMessages(conversation.id, { limit: 10 });
        assert.deepEqual(kept, { ...message, agentId: null, agentName: "Agent ada" });
        assert.equal((await store.getConversation(conversation.id))?.assigneeId, null);
      }));
  });

  describe("sessions", () => {
    it("creates, finds and deletes sessions, one or all of an agent's", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        const bob = await newAgent(store, "bob");
        const session = { id: "sha256-of-secret-1", agentId: ada.id, createdAt: at(1), expiresAt: at(1000) };
        await store.createSession(session);
        await store.createSession({ ...session, id: "sha256-of-secret-2" });
        await store.createSession({ ...session, id: "sha256-of-secret-3", agentId: bob.id });
        assert.deepEqual(await store.findSession(session.id), session);
        assert.equal(await store.findSession("unknown"), undefined);
        assert.equal(await store.deleteSession(session.id), true);
        assert.equal(await store.deleteSession(session.id), false);
        assert.deepEqual(await store.deleteSessionsOfAgent(ada.id), ["sha256-of-secret-2"]);
        assert.deepEqual(await store.deleteSessionsOfAgent(ada.id), []);
        assert.ok(await store.findSession("sha256-of-secret-3"));
      }));

    it("deletes the sessions that expired before now and returns their ids", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        for (const [id, expires] of [
          ["old-1", 10],
          ["old-2", 19],
          ["edge", 20],
          ["new", 30],
        ] as const) {
          await store.createSession({ id, agentId: ada.id, createdAt: at(0), expiresAt: at(expires) });
        }
        const removed = await store.deleteExpiredSessions(at(20));
        assert.deepEqual([...removed].sort(), ["old-1", "old-2"]);
        assert.ok(await store.findSession("edge"), "a session expiring exactly now is kept");
        assert.ok(await store.findSession("new"));
        assert.deepEqual(await store.deleteExpiredSessions(at(20)), []);
      }));

    it("tells which of many session ids are still live", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        await store.createSession({ id: "live", agentId: ada.id, createdAt: at(0), expiresAt: at(30) });
        await store.createSession({
          id: "expiring-now",
          agentId: ada.id,
          createdAt: at(0),
          expiresAt: at(20),
        });
        await store.createSession({ id: "expired", agentId: ada.id, createdAt: at(0), expiresAt: at(10) });
        // More ids than one query binds: the rest are asked in further queries.
        const unknown = Array.from({ length: 1200 }, (_, i) => `gone-${i}`);
        const asked = [...unknown.slice(0, 700), "live", "expiring-now", "expired", ...unknown.slice(700)];
        assert.deepEqual(await store.liveSessionIds(asked, at(20)), ["live"]);
        assert.deepEqual(await store.liveSessionIds([], at(20)), []);
      }));
  });

  describe("push subscriptions", () => {
    it("saves one subscription per agent and endpoint, updating the keys", () =>
      withStore(fresh, async (store) => {
        const ada = await newAgent(store, "ada");
        const bob = await newAgent(store, "bob");
        const endpoint = "https://push.example/send/abc";
        const first = await store.savePushSubscription({
          agentId: ada.id,
          endpoint,
          p256dh: "p1",
          auth: "a1",
          at: at(1),
        });
        assert.deepEqual(first, {
          id: first.id,
          agentId: ada.id,
          endpoint,
          p256dh: "p1",
          auth: "a1",
          createdAt: at(1),
        });
        const renewed = await store.savePushSubscription({
          agentId: ada.id,
          endpoint,
          p256dh: "p2",
          auth: "a2",
          at: at(2),
        });
        assert.deepEqual(renewed, { ...first, p256dh: "p2", auth: "a2" });
        const other = await store.savePushSubscription({
          agentId: ada.id,
          endpoint: `${endpoint}-2`,
          p256dh: "p",
          auth: "a",
          at: at(3),
        });
        const bobs = await store.savePushSubscription({
          agentId: bob.id,
          endpoint,
          p256dh: "p",
          auth: "a",
          at: at(3),
        });
        assert.deepEqual(await store.listPushSubscriptions(ada.id), [renewed, other]);
        assert.deepEqual(await store.listPushSubscriptions(bob.id), [bobs]);

        assert.equal(await store.deletePushSubscription(ada.id, endpoint), true);
        assert.equal(await store.deletePushSubscription(ada.id, endpoint), false);
        assert.deepEqual(await store.listPushSubscriptions(ada.id), [other]);
        assert.deepEqual(
          await store.listPushSubscriptions(bob.id),
          [bobs],
          "another agent's row with that endpoint stays",
        );
      }));
  });
}
