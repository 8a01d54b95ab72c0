/**
 * The producer's batches, on a real store (SQLite, and Postgres when TEST_DATABASE_URL is set):
 * changes taken while a batch is stored go together in the next, each stored once and in the
 * order taken, with one wake per webhook (due a moment later, and told to the worker then), and
 * its conversations read in one statement; a change that fails its batch fails alone. Changes
 * taken in one turn of the event loop go in one batch (it starts on setImmediate), up to its cap.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import pino from "pino";
import type { Happening } from "../../src/chat/events.js";
import { toWireMessage } from "../../src/chat/toWire.js";
import { StoreJobQueue } from "../../src/jobs/queue.js";
import type { Store, StoredConversation, StoredSite } from "../../src/store/store.js";
import { WAKE_GATHER_MS } from "../../src/webhooks/jobKind.js";
import { WebhookProducer } from "../../src/webhooks/producer.js";
import { STORE_ENGINES } from "../support/storeEngines.js";

/** The store as the producer uses it, counting its reads and its transactions. */
function counted(store: Store) {
  const counts = { reads: 0, batches: 0 };
  const seen = {
    listWebhooks: (siteId: number) => store.listWebhooks(siteId),
    getConversations: (ids: readonly number[]) => {
      counts.reads += 1;
      return store.getConversations(ids);
    },
    insertWebhookDeliveries: (rows: Parameters<Store["insertWebhookDeliveries"]>[0]) => {
      counts.batches += 1;
      return store.insertWebhookDeliveries(rows);
    },
  };
  return { seen, counts };
}

function producerOn(
  store: Pick<Store, "listWebhooks" | "getConversations" | "insertWebhookDeliveries">,
  queue: StoreJobQueue,
) {
  const errors: unknown[] = [];
  const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(JSON.parse(line)) });
  const producer = new WebhookProducer({
    store,
    queue,
    logger,
    onlineVisitors: async () => new Set<string>(),
    now: () => new Date(),
  });
  return { producer, errors };
}

async function webhookOn(store: Store, site: StoredSite) {
  return store.createWebhook({
    siteId: site.id,
    url: "https://hooks.example/parley",
    events: ["message.created"],
    format: "parley",
    secret: "s".repeat(32),
    enabled: true,
    at: new Date().toISOString(),
  });
}

async function conversationOn(store: Store, site: StoredSite, name: string): Promise<StoredConversation> {
  const { conversation } = await store.createConversation({
    token: `producer-batch-${name}-${Math.random().toString(36).slice(2, 10)}`,
    visitorName: name,
    createdIp: null,
    siteId: site.id,
    at: new Date().toISOString(),
  });
  return conversation;
}

async function messageHappening(
  store: Store,
  conversation: StoredConversation,
  content: string,
): Promise<Happening> {
  const { message } = await store.appendMessage({
    conversationId: conversation.id,
    sender: "visitor",
    content,
    clientId: null,
    agentId: null,
    agentName: null,
    at: new Date().toISOString(),
  });
  return { type: "message.created", conversation, message: toWireMessage(message) };
}

const contentOf = (payload: string) =>
  (JSON.parse(payload) as { data: { message: { content: string } } }).data.message.content;

for (const engine of STORE_ENGINES) {
  describe(`webhook producer batches on ${engine.name}`, () => {
    const drops: Array<() => Promise<void>> = [];
    after(async () => {
      for (const drop of drops) await drop();
    });
    const fresh = async () => {
      const opened = await engine.open();
      if (opened === undefined) return undefined;
      drops.push(async () => {
        await opened.store.close();
        await opened.drop();
      });
      await opened.store.migrate();
      return opened.store;
    };

    it("stores changes taken at once each once, in order, with one wake per webhook", async (t) => {
      const store = await fresh();
      if (store === undefined) return t.skip("set TEST_DATABASE_URL to run on Postgres");
      const site = await store.getDefaultSite();
      const webhook = await webhookOn(store, site);
      const [ann, bob] = [await conversationOn(store, site, "ann"), await conversationOn(store, site, "bob")];
      const happenings: Happening[] = [];
      for (let i = 0; i < 30; i += 1)
        happenings.push(await messageHappening(store, i % 3 === 0 ? bob : ann, `message ${i}`));
      const queue = new StoreJobQueue(store);
      const announcedAt: number[] = [];
      queue.enqueued.on(() => announcedAt.push(Date.now()));
      const { seen, counts } = counted(store);
      const { producer, errors } = producerOn(seen, queue);

      // Each message posted twice (a retried send): stored once.
      for (const happening of happenings) producer.take(happening);
      for (const happening of happenings) producer.take(happening);
      await producer.idle();

      assert.deepEqual(errors, []);
      const deliveries = (await store.listWebhookDeliveries(webhook.id, { limit: 100 })).reverse();
      assert.deepEqual(
        deliveries.map((delivery) => contentOf(delivery.payload)),
        happenings.map((_, i) => `message ${i}`),
        "once each, in the order taken",
      );
      const jobs = await store.listJobs();
      assert.deepEqual(
        jobs.map((job) => job.dedupeKey),
        [`webhook.deliver:${webhook.id}`],
        "one wake for both conversations",
      );
      const dueAt = Date.parse(jobs[0]!.runAt);
      assert.equal(
        dueAt - Date.parse(jobs[0]!.createdAt),
        WAKE_GATHER_MS,
        "the wake gathers the next events",
      );
      assert.deepEqual(
        counts,
        { reads: 1, batches: 1 },
        "one batch for the turn's 60 changes (≤ its cap), reading its conversations at once",
      );
      assert.deepEqual(announcedAt, [], "the worker is not told before the wake is due");
      for (const deadline = Date.now() + 5000; announcedAt.length === 0 && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 5));
      await new Promise((resolve) => setTimeout(resolve, WAKE_GATHER_MS));
      assert.equal(announcedAt.length, 1, "the worker is told of the batch's job once");
      assert.ok(announcedAt[0]! >= dueAt, "once it is due");
    });

    it("stores the others of a batch when one change fails, and logs that one", async (t) => {
      const store = await fresh();
      if (store === undefined) return t.skip("set TEST_DATABASE_URL to run on Postgres");
      const site = await store.getDefaultSite();
      const other = await store.createSite({
        key: "producer-batch-other-site",
        name: "Other",
        allowedOrigins: ["http://other.example"],
        widget: site.widget,
        businessHours: null,
        agentIds: null,
        at: new Date().toISOString(),
      });
      const webhook = await webhookOn(store, site);
      const gone = await webhookOn(store, other);
      const [ann, zed] = [
        await conversationOn(store, site, "ann"),
        await conversationOn(store, other, "zed"),
      ];
      const { producer, errors } = producerOn(store, new StoreJobQueue(store));
      // The producer reads the other site's webhook, which is then deleted behind its back
      // (another node): its rows for it now break the foreign key, until the cache lapses.
      producer.take(await messageHappening(store, zed, "before"));
      await producer.idle();
      await store.deleteWebhook(gone.id);

      const happenings: Happening[] = [];
      for (let i = 0; i < 10; i += 1) {
        happenings.push(await messageHappening(store, ann, `message ${i}`));
        if (i === 4) happenings.push(await messageHappening(store, zed, "lost"));
      }
      for (const happening of happenings) producer.take(happening);
      await producer.idle();

      const deliveries = (await store.listWebhookDeliveries(webhook.id, { limit: 100 })).reverse();
      assert.deepEqual(
        deliveries.map((delivery) => contentOf(delivery.payload)),
        Array.from({ length: 10 }, (_, i) => `message ${i}`),
      );
      assert.equal(errors.length, 1, "the bad change alone fails");
      assert.match((errors[0] as { msg: string }).msg, /could not store an event/);
    });
  });
}
