/**
 * One run of the delivery job on a real store (SQLite) and a real HTTPS receiver: it sends the
 * pair's waiting deliveries one after another, in order, and leaves no job behind when none is
 * left; with too little lease left for another request, it sends one and hands the pair to a new
 * job.
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
import { deliverWebhookHandler, type DeliveryRules } from "../../src/webhooks/deliverJob.js";
import { deliveryWake } from "../../src/webhooks/jobKind.js";
import { HttpWebhookSender } from "../../src/webhooks/sender.js";
import { Receiver, testCertificate } from "./receiver.js";

const RULES: DeliveryRules = { retryScheduleMs: [200], disableAfterMs: 86_400_000, timeoutMs: 1000 };
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

  /** Three events of a new conversation stored at once, as the producer stores a batch. */
  const threeEvents = async (): Promise<StoredConversation> => {
    const { conversation } = await store.createConversation({
      token: `deliver-run-${randomUUID()}`,
      visitorName: null,
      createdIp: null,
      siteId: webhook.siteId,
      at: new Date().toISOString(),
    });
    const at = new Date().toISOString();
    await store.insertWebhookDeliveries(
      ["first", "second", "third"].map((content) => {
        const eventId = randomUUID();
        return {
          delivery: {
            webhookId: webhook.id,
            eventId,
            eventKey: `message.created:${eventId}`,
            eventType: "message.created" as const,
            conversationId: conversation.id,
            payload: JSON.stringify({ id: eventId, content }),
            at,
          },
          wake: deliveryWake({ webhookId: webhook.id, conversationId: conversation.id }, at),
        };
      }),
    );
    return conversation;
  };

  const claim = (leaseMs: number) => {
    const now = new Date();
    return store.claimJob({
      now: now.toISOString(),
      leaseToken: randomUUID(),
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
    });
  };
  const contents = () => receiver.accepted<{ content: string }>().map((body) => body.content);

  it("sends every waiting delivery of the pair in order and leaves no job behind", async () => {
    receiver.received.length = 0;
    await threeEvents();
    const job = await claim(60_000);
    assert.ok(job, "the wake job");
    assert.deepEqual(await handler().run(job), { kind: "done" });
    assert.deepEqual(contents(), ["first", "second", "third"]);
    assert.equal(await claim(60_000), undefined, "no job left: the run found nothing more itself");
    await store.completeJob(job.id, job.leaseToken);
  });

  it("with no lease left for another request, sends one and wakes a new job for the rest", async () => {
    receiver.received.length = 0;
    const conversation = await threeEvents();
    // Room for one delivery's claim, and once it is sent, less than another needs.
    const job = await claim(RULES.timeoutMs + CLAIM_MARGIN_MS);
    assert.ok(job, "the wake job");
    assert.deepEqual(await handler().run(job), { kind: "done" });
    assert.deepEqual(contents(), ["first"]);
    await store.completeJob(job.id, job.leaseToken);

    const next = await claim(60_000);
    assert.ok(next, "a new job for the pair");
    assert.deepEqual(JSON.parse(next.payload), { webhookId: webhook.id, conversationId: conversation.id });
    assert.deepEqual(await handler().run(next), { kind: "done" });
    assert.deepEqual(contents(), ["first", "second", "third"]);
    await store.completeJob(next.id, next.leaseToken);
  });
});
