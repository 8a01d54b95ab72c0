/**
 * The collapse rule (push/notifyAgentJob.ts) on a real store with a clock the test moves: one
 * push per agent and conversation per minute, saying how many messages are unread, and none
 * when someone read or answered, the agent is watching, or no longer answers the site.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import pino from "pino";
import { SiteTeams } from "../../src/chat/siteTeams.js";
import type { JobQueue } from "../../src/jobs/queue.js";
import { DELIVER_PUSH, type DeliverPushPayload } from "../../src/push/jobKinds.js";
import { notifyAgentHandler } from "../../src/push/notifyAgentJob.js";
import { openStore } from "../../src/store/openStore.js";
import type { ClaimedJob, Store } from "../../src/store/store.js";

const root = mkdtempSync(join(tmpdir(), "parley-collapse-"));
after(() => rmSync(root, { recursive: true, force: true }));
const T0 = Date.UTC(2024, 0, 1);

describe("notify job: who is pushed, when, and what it says", () => {
  let store: Store;
  let nowMs: number;
  let watching: boolean;
  let deliveries: DeliverPushPayload[];
  let agentId: number;
  let conversationId: number;
  let dirs = 0;

  const handler = () =>
    notifyAgentHandler({
      store,
      queue: {
        enqueue: async (kind, payload) => {
          assert.equal(kind, DELIVER_PUSH);
          deliveries.push(payload as DeliverPushPayload);
          return true;
        },
      } satisfies JobQueue,
      isWatching: async () => watching,
      answers: (agent, site) => new SiteTeams(store).answers(agent, site),
      logger: pino({ level: "silent" }),
      now: () => new Date(nowMs),
    });
  const run = () =>
    handler().run({ id: 1, payload: JSON.stringify({ agentId, conversationId }) } as ClaimedJob);
  const visitorSays = (content: string) =>
    store.appendMessage({
      conversationId,
      sender: "visitor",
      content,
      clientId: null,
      agentId: null,
      agentName: null,
      at: new Date(nowMs).toISOString(),
    });

  beforeEach(async () => {
    store = await openStore({ storageDir: join(root, `s${++dirs}`) });
    await store.migrate();
    nowMs = T0;
    watching = false;
    deliveries = [];
    const agent = await store.createAgent({
      username: "ada",
      name: "Ada",
      role: "agent",
      passwordHash: "h",
      at: "2024-01-01T00:00:00.000Z",
    });
    agentId = agent.id;
    for (const endpoint of ["https://fcm.googleapis.com/fcm/send/1", "https://web.push.apple.com/2"]) {
      await store.savePushSubscription({
        agentId,
        endpoint,
        p256dh: "p",
        auth: "a",
        at: "2024-01-01T00:00:00.000Z",
      });
    }
    const { conversation } = await store.createConversation({
      token: "visitor-token-collapse-1",
      visitorName: "Vera",
      createdIp: null,
      siteId: (await store.getDefaultSite()).id,
      at: "2024-01-01T00:00:00.000Z",
    });
    conversationId = conversation.id;
  });

  afterEach(() => store.close());

  it("pushes the first message at once, to every browser of the agent", async () => {
    await visitorSays("Hi there");
    assert.deepEqual(await run(), { kind: "done" });
    assert.equal(deliveries.length, 2);
    assert.deepEqual(deliveries[0]?.notification, {
      title: "New message from Vera",
      body: "Hi there",
      url: `/admin/chats/${conversationId}`,
      tag: `parley-conversation-${conversationId}`,
      conversation_id: conversationId,
      count: 1,
    });
    assert.equal(deliveries[0]?.topic, `conversation-${conversationId}`);
  });

  it("holds later messages to the end of the minute, then says how many are new", async () => {
    await visitorSays("Hi");
    await run();
    nowMs += 10_000;
    await visitorSays("Are you there?");
    await visitorSays("Hello??");
    assert.deepEqual(await run(), { kind: "postpone", until: new Date(T0 + 60_000) });
    assert.equal(deliveries.length, 2, "nothing more within the minute");
    nowMs = T0 + 60_000;
    assert.deepEqual(await run(), { kind: "done" });
    assert.equal(deliveries.length, 4);
    assert.equal(deliveries[2]?.notification.title, "3 new messages from Vera");
    assert.equal(deliveries[2]?.notification.body, "Hello??");
    assert.equal(deliveries[2]?.notification.count, 3);
    nowMs += 120_000;
    assert.deepEqual(await run(), { kind: "done" });
    assert.equal(deliveries.length, 4, "a duplicate job finds nothing new to tell");
  });

  it("pushes nothing to an agent the site's team no longer names, asked when the push would go", async () => {
    await visitorSays("Hi");
    const site = await store.getDefaultSite();
    await store.updateSite(site.id, { agentIds: [], at: new Date(nowMs).toISOString() });
    assert.deepEqual(await run(), { kind: "done" });
    assert.equal(deliveries.length, 0, "not on the team");
    await store.updateSite(site.id, { agentIds: [agentId], at: new Date(nowMs).toISOString() });
    await run();
    assert.equal(deliveries.length, 2, "named again");
  });

  it("pushes nothing once the conversation is read or answered, or while the agent watches", async () => {
    const { message } = await visitorSays("Hi");
    watching = true;
    await run();
    assert.equal(deliveries.length, 0, "watching");
    watching = false;
    await store.markConversationRead(conversationId, message.id);
    await run();
    assert.equal(deliveries.length, 0, "read");
    await visitorSays("One more thing");
    await store.appendMessage({
      conversationId,
      sender: "admin",
      content: "On it",
      clientId: null,
      agentId,
      agentName: "Ada",
      at: new Date(nowMs).toISOString(),
    });
    await run();
    assert.equal(deliveries.length, 0, "answered");
  });
});
