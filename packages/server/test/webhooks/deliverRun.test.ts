/**
 * One run of the webhook's delivery job on a real store (SQLite) and a real HTTPS receiver: it
 * sends each conversation's waiting deliveries in order, several conversations side by side, and
 * leaves no job behind when none is left; with too little lease left for another batch, it sends
 * one and hands the webhook to a new job; a conversation whose event is refused waits for its
 * retry while the others go on, and a wake is left for the retry's time.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { StoreJobQueue } from "../../src/jobs/queue.js";
import { openStore } from "../../src/store/openStore.js";
import type { Store, StoredConversation } from "../../src/store/store.js";
import type { StoredWebhook } from "../../src/store/webhookStore.js";
import { OutboundPolicy } from "../../src/webhooks/addressGuard.js";
import {
  deliverWebhookHandler,
  REQUESTS_AT_ONCE,
  WAVES_PER_CLAIM,
  type DeliveryRules,
} from "../../src/webhooks/deliverJob.js";
import { deliveryWake, WAKE_GATHER_MS } from "../../src/webhooks/jobKind.js";
import { HttpWebhookSender } from "../../src/webhooks/sender.js";
import { Receiver, testCertificate } from "./receiver.js";

const RULES: DeliveryRules = { retryScheduleMs: [60_000], disableAfterMs: 86_400_000, timeoutMs: 1000 };
/** The handler's margin beyond the request's timeout (deliverJob.ts CLAIM_MARGIN_MS). */
const CLAIM_MARGIN_MS = 15_000;

describe("a webhook delivery job's run", () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-deliver-run-"));
  let store: Store;
  let receiver: Receiver;
  let webhook: StoredWebhook;
  before(async () => {
    store = await openStore({ storageDir: dir });
    await store.migrate();
    receiver = await Receiver.start();
    const site = await store.getDefaultSite();
    webhook = await store.createWebhook({
      siteId: site.id,
      url: receiver.url,
      events: ["message.created"],
      format: "parley",
      secret: "s".repeat(32),
      enabled: true,
      at: new Date().toISOString(),
    });
  });
  after(async () => {
    await receiver.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const handler = () =>
    deliverWebhookHandler({
      store,
      queue: new StoreJobQueue(store),
      sender: new HttpWebhookSender({
        policy: new OutboundPolicy({ allowPrivate: false, allowedHosts: ["127.0.0.1"] }),
        timeoutMs: RULES.timeoutMs,
        extraCa: readFileSync(testCertificate().caFile, "utf8"),
      }),
      rules: RULES,
      logger: pino({ level: "silent" }),
      now: () => new Date(),
      disabled: async () => {},
    });

  /** Events of a new conversation stored at once, as the producer stores a batch. */
  const events = async (contents: string[]): Promise<StoredConversation> => {
    const { conversation } = await store.createConversation({
      token: `deliver-run-${randomUUID()}`,
      visitorName: null,
      createdIp: null,
      siteId: webhook.siteId,
      at: new Date().toISOString(),
    });
    const at = new Date().toISOString();
    await store.insertWebhookDeliveries(
      contents.map((content) => {
        const eventId = randomUUID();
        return {
          delivery: {
            webhookId: webhook.id,
            eventId,
            eventKey: `message.created:${eventId}`,
            eventType: "message.created" as const,
            conversationId: conversation.id,
            contactId: null,
            payload: JSON.stringify({ id: eventId, content }),
            at,
          },
          wake: deliveryWake(webhook.id, at),
        };
      }),
    );
    return conversation;
  };
  const threeEvents = () => events(["first", "second", "third"]);

  /** Claims as the worker does once the events' wake is due (it gathers them: jobKind.ts). */
  const claim = (leaseMs: number) => {
    const now = Date.now();
    return store.claimJob({
      now: new Date(now + WAKE_GATHER_MS).toISOString(),
      leaseToken: randomUUID(),
      leaseUntil: new Date(now + leaseMs).toISOString(),
    });
  };
  const contents = () => receiver.accepted<{ content: string }>().map((body) => body.content);

  it("sends every waiting delivery of a conversation in order and leaves no job behind", async () => {
    receiver.received.length = 0;
    await threeEvents();
    const job = await claim(60_000);
    assert.ok(job, "the wake job");
    assert.deepEqual(await handler().run(job), { kind: "done" });
    assert.deepEqual(contents(), ["first", "second", "third"]);
    assert.equal(await claim(60_000), undefined, "no job left: the run found nothing more itself");
    await store.completeJob(job.id, job.leaseToken);
  });

  it("with no lease left for another batch, sends one and wakes a new job for the rest", async () => {
    receiver.received.length = 0;
    await threeEvents();
    // Room for one batch's claim, and once it is sent, less than another needs.
    const job = await claim(RULES.timeoutMs + CLAIM_MARGIN_MS);
    assert.ok(job, "the wake job");
    assert.deepEqual(await handler().run(job), { kind: "done" });
    assert.deepEqual(contents(), ["first"], "one batch: a conversation's events go one at a time");
    await store.completeJob(job.id, job.leaseToken);

    const next = await claim(60_000);
    assert.ok(next, "a new job for the webhook");
    assert.deepEqual(JSON.parse(next.payload), { webhookId: webhook.id });
    assert.deepEqual(await handler().run(next), { kind: "done" });
    assert.deepEqual(contents(), ["first", "second", "third"]);
    await store.completeJob(next.id, next.leaseToken);
  });

  it("runs a job stored before jobs were one per webhook (it names a conversation) as its webhook's", async () => {
    receiver.received.length = 0;
    const conversation = await threeEvents();
    const other = await events(["elsewhere"]);
    // Only the old job: the new wakes of these events are taken away.
    for (let wake = await claim(60_000); wake !== undefined; wake = await claim(60_000))
      await store.completeJob(wake.id, wake.leaseToken);
    await store.enqueueJob({
      kind: "webhook.deliver",
      payload: JSON.stringify({ webhookId: webhook.id, conversationId: conversation.id }),
      runAt: new Date().toISOString(),
      dedupeKey: `webhook.deliver:${webhook.id}:${conversation.id}`,
      at: new Date().toISOString(),
    });
    const job = await claim(60_000);
    assert.ok(job);
    assert.deepEqual(JSON.parse(job.payload), { webhookId: webhook.id, conversationId: conversation.id });
    assert.deepEqual(await handler().run(job), { kind: "done" });
    assert.deepEqual(contents().sort(), ["elsewhere", "first", "second", "third"].sort());
    assert.ok(other.id !== conversation.id);
    await store.completeJob(job.id, job.leaseToken);
  });

  it("sends several conversations' events side by side, each conversation's in order", async () => {
    receiver.received.length = 0;
    const many = REQUESTS_AT_ONCE + 2;
    for (let c = 0; c < many; c++) await events([`c${c}-1`, `c${c}-2`]);
    const job = await claim(60_000);
    assert.ok(job, "one wake for all of them");
    assert.deepEqual(await handler().run(job), { kind: "done" });
    const got = contents();
    assert.equal(got.length, many * 2);
    for (let c = 0; c < many; c++) {
      assert.ok(got.indexOf(`c${c}-1`) < got.indexOf(`c${c}-2`), `conversation ${c} in order`);
    }
    // The first batch is every conversation's first event (it holds up to WAVES_PER_CLAIM waves):
    // no second event in it.
    assert.ok(many <= REQUESTS_AT_ONCE * WAVES_PER_CLAIM);
    assert.deepEqual(got.slice(0, many).sort(), Array.from({ length: many }, (_, c) => `c${c}-1`).sort());
    // Never more than REQUESTS_AT_ONCE in flight, on kept connections: the sender reuses one a
    // turn of the event loop after its answer (sender.ts), so at most twice as many.
    assert.ok(receiver.maxInFlight <= REQUESTS_AT_ONCE, `${receiver.maxInFlight} in flight at once`);
    const connections = new Set(receiver.received.map((each) => each.port)).size;
    assert.ok(connections <= 2 * REQUESTS_AT_ONCE, `${connections} connections`);
    assert.equal(await claim(60_000), undefined, "no job left");
    await store.completeJob(job.id, job.leaseToken);
  });

  it("holds back a refused event's conversation until its retry, sends the others, and wakes then", async () => {
    receiver.received.length = 0;
    receiver.answer = (_index, body) => (body.includes('"refused-1"') ? 500 : 200);
    try {
      await events(["refused-1", "refused-2"]);
      await events(["other-1", "other-2"]);
      const job = await claim(60_000);
      assert.ok(job, "the wake job");
      const started = Date.now();
      assert.deepEqual(await handler().run(job), { kind: "done" });
      assert.deepEqual(contents(), ["other-1", "other-2"], "the other conversation went on");
      assert.equal(receiver.received.length, 3, "the refused event was tried once, its next one held back");
      await store.completeJob(job.id, job.leaseToken);

      const wakes = (await store.listJobs()).filter((each) => each.state === "pending");
      assert.equal(wakes.length, 1, "one wake, for the retry");
      const [wake] = wakes;
      assert.ok(wake !== undefined);
      assert.deepEqual(JSON.parse(wake.payload), { webhookId: webhook.id, retries: true });
      const due = Date.parse(wake.runAt) - started;
      assert.ok(
        due >= RULES.retryScheduleMs[0]! - 1000 && due <= RULES.retryScheduleMs[0]! + 5000,
        `due in ${due} ms`,
      );
      assert.equal(await claim(60_000), undefined, "not due before the retry");

      // A new event of the other conversation is not held back by that retry's wake.
      await events(["later"]);
      const fresh = await claim(60_000);
      assert.ok(fresh, "a fresh wake, beside the retry's");
      assert.deepEqual(await handler().run(fresh), { kind: "done" });
      assert.deepEqual(contents(), ["other-1", "other-2", "later"]);
      await store.completeJob(fresh.id, fresh.leaseToken);
    } finally {
      receiver.answer = () => 200;
    }
  });
});
