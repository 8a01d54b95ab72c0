/**
 * `conversations.resolved_at` (protocol §18: resolution times are its column): set when a
 * conversation becomes resolved, kept while it stays resolved, cleared when it leaves, on every
 * path: the store's patch (state and the seed's status), a snooze, a snooze waking, a visitor
 * writing again, and the REST routes an agent uses. SQLite, and Postgres with TEST_DATABASE_URL.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { visitorSession } from "../files/harness.js";
import { POSTGRES_SKIP } from "../support/postgres.js";
import { AGENT_ORIGIN, visitorToken } from "../support/testServer.js";
import { reportWorld, type ReportWorld } from "./harness.js";

for (const engine of ["sqlite", "postgres"] as const) {
  const skip = engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : undefined;
  describe(`resolved_at (${engine})`, { skip }, () => {
    let world: ReportWorld;

    before(async () => {
      world = await reportWorld(engine);
    });
    after(() => world.dispose());

    const resolvedAt = async (id: number): Promise<string | null> => {
      const [row] = await world.rows<{ resolved_at: string | null }>(
        "select resolved_at from conversations where id = ?",
        [id],
      );
      return row!.resolved_at;
    };

    const newConversation = async () => {
      const { store } = world.server;
      const { conversation } = await store.createConversation({
        token: visitorToken(),
        visitorName: null,
        createdIp: null,
        siteId: (await store.getDefaultSite()).id,
        at: "2026-01-01T00:00:00.000Z",
      });
      return conversation.id;
    };

    it("follows the store's state changes: set on resolving, kept while resolved, cleared on leaving", async () => {
      const { store } = world.server;
      const id = await newConversation();
      assert.equal(await resolvedAt(id), null);
      await store.updateConversation(id, { state: "resolved", stateAt: "2026-01-02T00:00:00.000Z" });
      assert.equal(await resolvedAt(id), "2026-01-02T00:00:00.000Z");
      // Resolving what is resolved is not a new resolution.
      await store.updateConversation(id, { state: "resolved", stateAt: "2026-01-03T00:00:00.000Z" });
      assert.equal(await resolvedAt(id), "2026-01-02T00:00:00.000Z");
      // Other changes leave it be.
      await store.updateConversation(id, { updatedAt: "2026-01-03T00:00:00.000Z", visitorName: "Vi" });
      assert.equal(await resolvedAt(id), "2026-01-02T00:00:00.000Z");
      await store.updateConversation(id, { status: "open" });
      assert.equal(await resolvedAt(id), null);
      // The seed's close, without a time: the store's clock.
      const before = new Date().toISOString();
      await store.updateConversation(id, { status: "closed" });
      const closed = await resolvedAt(id);
      assert.ok(closed !== null && closed >= before && closed <= new Date().toISOString(), String(closed));
      await store.updateConversation(id, { state: "pending" });
      assert.equal(await resolvedAt(id), null);
      await store.updateConversation(id, { state: "resolved", stateAt: "2026-01-04T00:00:00.000Z" });
      await store.updateConversation(id, {
        state: "snoozed",
        snoozedUntil: "2030-01-01T00:00:00.000Z",
      });
      assert.equal(await resolvedAt(id), null);
      await store.wakeSnoozed(id, "2030-01-01T00:00:00.000Z");
      assert.equal(await resolvedAt(id), null);
      await store.updateConversation(id, { state: "resolved", stateAt: "2026-01-05T00:00:00.000Z" });
      assert.equal(await resolvedAt(id), "2026-01-05T00:00:00.000Z");
      assert.equal((await store.reopenForVisitor(id))?.state, "open");
      assert.equal(await resolvedAt(id), null);
    });

    it("is set by an agent's close and state change over REST and cleared when the visitor writes again", async () => {
      const token = visitorToken();
      const visitor = await visitorSession(world.server, token);
      try {
        await visitor.send({ content: "hello" });
        const id = (await world.server.store.findConversationByToken(token))!.id;
        const call = (method: string, path: string, body?: unknown) =>
          fetch(`${world.server.url}${path}`, {
            method,
            headers: {
              cookie: world.ownerCookie,
              origin: AGENT_ORIGIN,
              ...(body === undefined ? {} : { "content-type": "application/json" }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          });

        let before = new Date().toISOString();
        assert.equal((await call("POST", `/conversations/${id}/close`)).status, 200);
        const closed = await resolvedAt(id);
        assert.ok(closed !== null && closed >= before, String(closed));
        assert.equal((await call("POST", `/conversations/${id}/reopen`)).status, 200);
        assert.equal(await resolvedAt(id), null);

        before = new Date().toISOString();
        assert.equal((await call("PUT", `/conversations/${id}/state`, { state: "resolved" })).status, 200);
        const resolved = await resolvedAt(id);
        assert.ok(resolved !== null && resolved >= before, String(resolved));

        await visitor.send({ content: "one more thing" });
        assert.equal((await world.server.store.getConversation(id))?.state, "open");
        assert.equal(await resolvedAt(id), null);
      } finally {
        visitor.cable.close();
      }
    });
  });
}
