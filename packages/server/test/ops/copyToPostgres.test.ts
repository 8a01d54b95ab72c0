/** `parley copy-to-postgres`: a SQLite deployment with thousands of messages moves with every row and id. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { openStore } from "../../src/store/index.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";

const database = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;

describe("copy-to-postgres", () => {
  if (database === undefined) {
    it("copies SQLite into Postgres", { skip: POSTGRES_SKIP }, () => {});
    return;
  }

  it("keeps every row and id, moves the sequences past them, and checks the counts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-copy-"));
    try {
      const sqlite = await openStore({ storageDir: dir });
      await sqlite.migrate();
      const at = () => new Date().toISOString();
      const owner = await sqlite.createAgent({
        username: "owner",
        name: "Owner",
        role: "owner",
        passwordHash: "h1",
        at: at(),
      });
      const agent = await sqlite.createAgent({
        username: "bo",
        name: "Bo",
        role: "agent",
        passwordHash: "h2",
        at: at(),
      });
      await sqlite.createSession({ id: "s".repeat(64), agentId: agent.id, createdAt: at(), expiresAt: at() });
      await sqlite.savePushSubscription({
        agentId: owner.id,
        endpoint: "https://push.example/1",
        p256dh: "k",
        auth: "a",
        at: at(),
      });
      for (let c = 0; c < 30; c++) {
        const { conversation } = await sqlite.createConversation({
          token: `token-${c}-abcdefghijkl`,
          visitorName: `V${c}`,
          createdIp: "10.0.0.1",
          siteId: (await sqlite.getDefaultSite()).id,
          at: at(),
        });
        for (let m = 0; m < 100; m++) {
          await sqlite.appendMessage({
            conversationId: conversation.id,
            sender: m % 3 === 0 ? "admin" : "visitor",
            content: `message ${c}/${m} <b>'quoted'</b>`,
            clientId: m % 2 === 0 ? `client-${m}` : null,
            agentId: m % 3 === 0 ? agent.id : null,
            agentName: m % 3 === 0 ? "Bo" : null,
            at: at(),
          });
        }
        if (c % 10 === 0)
          await sqlite.updateConversation(conversation.id, { status: "closed", assigneeId: owner.id });
      }
      // A second site, with a conversation on it: sites and keys move as they are.
      const shop = await sqlite.createSite({
        key: "shop-site-key-0001",
        name: "Shop",
        allowedOrigins: ["https://shop.example"],
        widget: { ...(await sqlite.getDefaultSite()).widget, title: "Shop help" },
        businessHours: null,
        agentIds: [agent.id],
        at: at(),
      });
      await sqlite.createConversation({
        token: "token-shop-abcdefghijkl",
        visitorName: "Shopper",
        createdIp: null,
        siteId: shop.id,
        at: at(),
      });
      // Gaps in the ids must survive too.
      await sqlite.deleteConversation(2);
      const before = {
        messages: await sqlite.listMessagesSince(0, 10_000),
        conversations: await sqlite.listConversations({ limit: 200 }),
        agents: await sqlite.listAgents(),
        sites: await sqlite.listSites(),
      };
      await sqlite.close();
      assert.equal(before.messages.length, 2900);

      const result = spawnSync(
        process.execPath,
        [
          "--conditions=source",
          "--import",
          "tsx",
          "packages/server/src/cli.ts",
          "copy-to-postgres",
          database.url,
        ],
        { env: { ...process.env, STORAGE_DIR: dir }, encoding: "utf8", timeout: 120_000 },
      );
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stdout, /messages: 2900 rows copied, counts match/);
      assert.match(result.stderr, /messages\s+\[#+\]\s+2900\/2900/);

      const postgres = await openStore({ databaseUrl: database.url, storageDir: dir });
      try {
        assert.deepEqual(await postgres.listMessagesSince(0, 10_000), before.messages);
        assert.deepEqual(await postgres.listConversations({ limit: 200 }), before.conversations);
        assert.deepEqual(await postgres.listAgents(), before.agents);
        assert.deepEqual(await postgres.listSites(), before.sites);
        assert.equal((await postgres.findSession("s".repeat(64)))?.agentId, agent.id);
        assert.equal((await postgres.listPushSubscriptions(owner.id)).length, 1);

        const lastId = before.messages.at(-1)!.id;
        const next = await postgres.appendMessage({
          conversationId: before.conversations[0]!.id,
          sender: "visitor",
          content: "first message on Postgres",
          clientId: null,
          agentId: null,
          agentName: null,
          at: new Date().toISOString(),
        });
        assert.ok(next.message.id > lastId, `new id ${next.message.id} after ${lastId}`);
        const newAgent = await postgres.createAgent({
          username: "new",
          name: "New",
          role: "agent",
          passwordHash: "h",
          at: at(),
        });
        assert.ok(newAgent.id > agent.id);
      } finally {
        await postgres.close();
      }

      const again = spawnSync(
        process.execPath,
        [
          "--conditions=source",
          "--import",
          "tsx",
          "packages/server/src/cli.ts",
          "copy-to-postgres",
          database.url,
        ],
        { env: { ...process.env, STORAGE_DIR: dir }, encoding: "utf8", timeout: 60_000 },
      );
      assert.equal(again.status, 1);
      assert.match(again.stderr, /already holds rows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    }
  });
});
