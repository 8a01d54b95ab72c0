/**
 * Retention (protocol §17): the daily job deletes resolved conversations whose last message is
 * older than `retention_days`, with everything an erasure deletes, in batches; open ones and
 * recent ones stay; a second run deletes nothing. SQLite and (with TEST_DATABASE_URL) Postgres.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RETENTION_BATCH, RETENTION_JOB } from "../../src/chat/privacy.js";
import type { StoredConversation } from "../../src/store/store.js";
import { POSTGRES_SKIP, postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startTestServer, visitorToken } from "../support/testServer.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  backdateMessages,
  everyRow,
  personWhoChatted,
  ratedByThem,
  privacyWorld,
  SECRET,
  tracesOf,
  type PrivacyWorld,
} from "./harness.js";

const DAY_MS = 24 * 60 * 60 * 1000;

for (const engine of ["sqlite", "postgres"] as const) {
  const skip = engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : undefined;
  describe(`retention (${engine})`, { skip }, () => {
    let world: PrivacyWorld;
    let schema: PostgresSchema | undefined;

    before(async () => {
      schema = engine === "postgres" ? await postgresSchema() : undefined;
      world = await privacyWorld(schema === undefined ? {} : { DATABASE_URL: schema.url });
    });
    after(async () => {
      await world.dispose();
      await schema?.drop();
    });

    /** A conversation whose messages were written `daysAgo` (each), left in `state`. */
    async function seed(
      state: "open" | "resolved",
      daysAgo: number[],
    ): Promise<{ conversation: StoredConversation; token: string }> {
      const { store } = world.server;
      const site = await store.getDefaultSite();
      const token = visitorToken();
      const at = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();
      const [first, ...rest] = daysAgo;
      const { conversation } = await store.appendFirstMessage({
        conversation: { token, visitorName: null, createdIp: null, siteId: site.id },
        sender: "visitor",
        content: `hello from ${token}`,
        clientId: null,
        agentId: null,
        agentName: null,
        at: at(first!),
      });
      for (const days of rest) {
        await store.appendMessage({
          conversationId: conversation.id,
          sender: "visitor",
          content: `more from ${token}`,
          clientId: null,
          agentId: null,
          agentName: null,
          at: at(days),
        });
      }
      // Their visitor row, last seen then: it goes with the conversation.
      await store.ensureVisitor(site.id, token, at(first!));
      const updated = await store.updateConversation(conversation.id, {
        state,
        updatedAt: at(daysAgo.at(-1)!),
      });
      return { conversation: updated!, token };
    }

    it("is scheduled at boot and again a day after each run", async () => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const jobs = (await world.server.store.listJobs()).filter((job) => job.kind === RETENTION_JOB);
        if (jobs.length === 1 && Date.parse(jobs[0]!.runAt) > Date.now() + 23 * 60 * 60 * 1000) break;
        if (Date.now() > deadline) assert.fail(`retention jobs: ${JSON.stringify(jobs)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });

    it("deletes nothing while retention_days is 0 (off)", async () => {
      await seed("resolved", [400]);
      const counts = await world.server.privacy.runRetention();
      assert.deepEqual(counts, { conversations: 0, messages: 0, files: 0, contacts: 0 });
    });

    it("deletes exactly the expired resolved conversations, in batches, and once", async () => {
      const settings = await world.call("PATCH", "/settings", { retention_days: 30 });
      assert.equal(settings.status, 200, await settings.clone().text());
      const expired = [await seed("resolved", [90, 45]), await seed("resolved", [31])];
      // More than one batch of expired ones, one message each.
      for (let i = 0; i < RETENTION_BATCH - 1; i++) expired.push(await seed("resolved", [60]));
      const kept = [
        await seed("open", [90]),
        await seed("resolved", [5]),
        // Started long ago, but its last message is recent.
        await seed("resolved", [90, 2]),
      ];
      // The one seeded while retention was off is expired now too.
      const before = (await world.server.store.listExpiredConversations(new Date().toISOString(), 10_000))
        .length;
      assert.ok(before >= expired.length + 1);

      const counts = await world.server.privacy.runRetention();
      assert.deepEqual(counts, {
        conversations: expired.length + 1,
        messages: expired.length + 2,
        files: 0,
        contacts: 0,
      });
      for (const { conversation } of expired)
        assert.equal(await world.server.store.getConversation(conversation.id), undefined);
      for (const { conversation } of kept)
        assert.ok((await world.server.store.getConversation(conversation.id)) !== undefined);
      const tables = await everyRow(world);
      for (const { conversation, token } of expired.slice(0, 2)) {
        assert.deepEqual(
          tracesOf(tables, {
            token,
            marker: token,
            email: token,
            conversationId: conversation.id,
            contactId: -1,
          }),
          [],
        );
      }

      const again = await world.server.privacy.runRetention();
      assert.deepEqual(again, { conversations: 0, messages: 0, files: 0, contacts: 0 });
      const records = world.audit.records.filter((record) => record.action === "retention.deleted");
      assert.deepEqual(records, [
        {
          action: "retention.deleted",
          actor: { kind: "system" },
          details: { conversations: expired.length + 1, messages: expired.length + 2, files: 0, days: 30 },
        },
      ]);
    });

    it("deletes an expired conversation's files, notes and rating; its contact stays", async () => {
      const old = await personWhoChatted(world, "Old");
      await backdateMessages(world, old.conversationId, new Date(Date.now() - 40 * DAY_MS).toISOString());
      // Resolved by an agent and rated (§18): the rating goes with it.
      await ratedByThem(world, old);
      assert.ok(
        tracesOf(await everyRow(world), old).some((trace) => trace.startsWith("conversation_ratings:")),
      );
      for (const key of old.blobKeys)
        assert.ok(existsSync(join(world.server.storageDir, "uploads", key)), key);

      const counts = await world.server.privacy.runRetention();
      assert.deepEqual(counts, { conversations: 1, messages: 2, files: 1, contacts: 0 });
      for (const key of old.blobKeys)
        assert.equal(existsSync(join(world.server.storageDir, "uploads", key)), false);
      const left = tracesOf(await everyRow(world), old);
      // Only the contact and the visitor still browsing (seen just now) stay.
      assert.deepEqual(
        left.filter((trace) => !/^(contacts|visitors|page_views):/.test(trace)),
        [],
      );
      assert.ok((await world.server.store.getContact(old.contactId)) !== undefined);
    });

    it("runs at boot even while tomorrow's run waits", async () => {
      const { conversation } = await seed("resolved", [90]);
      const { storageDir } = world.server;
      await world.server.close();
      const env: Record<string, string> = { SECRET_KEY_BASE: SECRET };
      if (schema !== undefined) env.DATABASE_URL = schema.url;
      const restarted = await startTestServer(env, storageDir);
      try {
        const deadline = Date.now() + 10_000;
        while ((await restarted.store.getConversation(conversation.id)) !== undefined) {
          if (Date.now() > deadline) assert.fail("the boot run never deleted the expired conversation");
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const jobs = (await restarted.store.listJobs()).filter((job) => job.kind === RETENTION_JOB);
        assert.equal(jobs.length, 1);
        assert.ok(Date.parse(jobs[0]!.runAt) > Date.now() + 23 * 60 * 60 * 1000);
      } finally {
        await restarted.close();
      }
    });
  });
}
