/**
 * A session ended on one node closes its sockets on every node within 2 s: the agent removed,
 * or the session logged out, on node B while the agent's socket is on node A. Runs when
 * TEST_DATABASE_URL and TEST_REDIS_URL are set (a private redis-server is started for it);
 * the notice itself is checked on TEST_REDIS_URL alone.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import pino from "pino";
import { RedisBroker } from "../../src/broker/redisBroker.js";
import { SessionWatch } from "../../src/chat/sessionWatch.js";
import { Sessions } from "../../src/chat/sessions.js";
import { openStore } from "../../src/store/index.js";
import { cableFrames, createConsumer, RecordingSubscription } from "../support/cable.js";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startNode, startRedis, type NodeProcess, type RedisProcess } from "../support/processes.js";
import { login, OWNER, visitorToken } from "../support/testServer.js";

const CLOSE_WITHIN_MS = 2000;
const clustered = Boolean(process.env.TEST_DATABASE_URL) && Boolean(process.env.TEST_REDIS_URL);

async function within<T>(timeoutMs: number, check: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(
  "sessions ended on another node",
  { skip: clustered ? false : "skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run the cluster suite" },
  () => {
    let database: PostgresSchema;
    let redis: RedisProcess;
    let a: NodeProcess;
    let b: NodeProcess;
    let ownerCookieB: string;
    let owner: RecordingSubscription;
    let visitor: RecordingSubscription;
    let conversationId: number;
    const nodes: NodeProcess[] = [];
    const dirs: string[] = [];
    const consumers: Consumer[] = [];

    const api = (node: NodeProcess, path: string, init: { method: string; cookie: string; json?: unknown }) =>
      fetch(`${node.url}${path}`, {
        method: init.method,
        headers: {
          cookie: init.cookie,
          ...(init.json === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
      });
    const agentOnA = async (cookie: string) => {
      const consumer = createConsumer(a.url, { cookie });
      consumers.push(consumer);
      const subscription = new RecordingSubscription(consumer, { channel: "AdminChannel" });
      await subscription.until(() => subscription.confirmed);
      return { consumer, subscription };
    };
    const storedContents = async () => {
      const response = await fetch(`${b.url}/conversations/${conversationId}/messages`, {
        headers: { cookie: ownerCookieB },
      });
      const { messages } = (await response.json()) as { messages: { content: string }[] };
      return messages.map((message) => message.content);
    };

    /** `end` runs on node B; the agent's socket on node A must close in time and hear nothing more. */
    const assertEndedOnA = async (
      agent: { consumer: Consumer; subscription: RecordingSubscription },
      end: () => Promise<void>,
    ) => {
      await end();
      const content = `sent after the end, ${visitorToken()}`;
      agent.subscription.perform("send_message", { conversation_id: conversationId, content });
      const frames = cableFrames(agent.consumer);
      const disconnect = await within(
        CLOSE_WITHIN_MS,
        () => frames.find((f) => f.type === "disconnect"),
        "disconnect on node A",
      );
      assert.deepEqual(disconnect, { type: "disconnect", reason: "unauthorized", reconnect: false });

      const heardBefore = agent.subscription.received.length;
      const marker = `visitor after the end, ${visitorToken()}`;
      visitor.perform("send_message", { content: marker });
      await owner.next(
        (m) => m.type === "new_message" && (m.message as { content: string }).content === marker,
      );
      assert.equal(
        agent.subscription.received.length,
        heardBefore,
        "nothing reaches an ended session's socket",
      );
      const stored = await storedContents();
      assert.ok(stored.includes(marker));
      assert.ok(!stored.includes(content), "the ended session's send was not stored");
    };

    before(async () => {
      database = (await postgresSchema())!;
      redis = await startRedis();
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SECRET_KEY_BASE: randomBytes(32).toString("hex"),
        ADMIN_USER: OWNER.username,
        ADMIN_PASSWORD: OWNER.password,
      };
      for (let i = 0; i < 2; i++) {
        const dir = mkdtempSync(join(tmpdir(), "parley-node-"));
        dirs.push(dir);
        nodes.push(await startNode({ ...env, STORAGE_DIR: dir }));
      }
      [a, b] = nodes as [NodeProcess, NodeProcess];
      ownerCookieB = await login(b.url);
      const ownerConsumer = createConsumer(a.url, { cookie: await login(a.url) });
      const visitorConsumer = createConsumer(a.url, { token: visitorToken() });
      consumers.push(ownerConsumer, visitorConsumer);
      owner = new RecordingSubscription(ownerConsumer, { channel: "AdminChannel" });
      visitor = new RecordingSubscription(visitorConsumer, { channel: "VisitorChannel" });
      await Promise.all([owner, visitor].map((s) => s.until(() => s.confirmed)));
      visitor.perform("send_message", { content: "hello", visitor_name: "Ada" });
      conversationId = (await owner.next((m) => m.type === "new_message")).conversation_id as number;
    });

    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      for (const node of nodes) node.kill("SIGKILL");
      await Promise.all(nodes.map((node) => node.exited));
      await redis?.stop();
      await database?.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it("closes the agent's socket on node A when node B removes the agent", async () => {
      const created = await api(b, "/agents", {
        method: "POST",
        cookie: ownerCookieB,
        json: { username: "bob", password: "bob-password-1" },
      });
      assert.equal(created.status, 201);
      const { agent } = (await created.json()) as { agent: { id: number } };
      const bob = await agentOnA(await login(a.url, { username: "bob", password: "bob-password-1" }));
      bob.subscription.perform("send_message", { conversation_id: conversationId, content: "bob was here" });
      await owner.next(
        (m) => m.type === "new_message" && (m.message as { content: string }).content === "bob was here",
      );

      await assertEndedOnA(bob, async () => {
        assert.equal(
          (await api(b, `/agents/${agent.id}`, { method: "DELETE", cookie: ownerCookieB })).status,
          200,
        );
      });
    });

    it("closes the session's socket on node A when it logs out on node B", async () => {
      const cookie = await login(a.url);
      const session = await agentOnA(cookie);
      await assertEndedOnA(session, async () => {
        assert.equal((await api(b, "/auth/logout", { method: "DELETE", cookie })).status, 200);
      });
      // The owner's other sessions are untouched.
      assert.equal(
        (await fetch(`${b.url}/conversations`, { headers: { cookie: ownerCookieB } })).status,
        200,
      );
    });
  },
);

describe(
  "the notice of an ended session between processes",
  { skip: process.env.TEST_REDIS_URL ? false : "skipped: set TEST_REDIS_URL" },
  () => {
    it("reaches a process on Redis at once, without waiting for its store check", async () => {
      const url = process.env.TEST_REDIS_URL!;
      const logger = pino({ level: "silent" });
      const dir = mkdtempSync(join(tmpdir(), "parley-notice-"));
      const store = await openStore({ databaseUrl: undefined, storageDir: dir, logger });
      const [here, there] = await Promise.all([
        RedisBroker.connect(url, logger),
        RedisBroker.connect(url, logger),
      ]);
      const now = () => new Date();
      const ended: string[] = [];
      // An hour between store checks: only the notice can close the session in this test.
      const watch = new SessionWatch({
        store,
        broker: here,
        logger,
        now,
        held: () => [],
        intervalMs: 3_600_000,
      });
      watch.ended.on((id) => ended.push(id));
      try {
        await store.migrate();
        await watch.start();
        const agent = await store.createAgent({
          username: "ada",
          name: "Ada",
          role: "agent",
          passwordHash: "x",
          at: now().toISOString(),
        });
        const sessions = new Sessions({ store, broker: there, logger, now });
        const [first, second] = [await sessions.start(agent.id), await sessions.start(agent.id)];
        await sessions.end(first.session.id);
        await within(
          CLOSE_WITHIN_MS,
          () => (ended.includes(first.session.id) ? true : undefined),
          "the logout notice",
        );
        await sessions.endAllOf(agent.id);
        await within(
          CLOSE_WITHIN_MS,
          () => (ended.includes(second.session.id) ? true : undefined),
          "the revocation notice",
        );
        assert.deepEqual(ended, [first.session.id, second.session.id]);
      } finally {
        watch.stop();
        await Promise.all([here.close(), there.close()]);
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
