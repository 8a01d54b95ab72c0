/**
 * Several Parley nodes on one Postgres and one Redis: visitors and agents on different nodes
 * talk, limits hold across nodes, a node killed with -9 and a Redis restart lose nothing.
 * Runs when TEST_DATABASE_URL and TEST_REDIS_URL are set; it starts its own redis-server (so it
 * can restart it) next to the configured one.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startNode, startRedis, type NodeProcess, type RedisProcess } from "../support/processes.js";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import { login, OWNER, visitorToken } from "../support/testServer.js";

const configured = Boolean(process.env.TEST_DATABASE_URL) && Boolean(process.env.TEST_REDIS_URL);
type Msg = { id: number; content: string; client_id?: string; sender: string };
type Payload = { type?: string; message?: Msg; messages?: Msg[] };
const payload = (frame: Record<string, unknown>) => frame.message as Payload | undefined;

describe(
  "a cluster of nodes",
  { skip: configured ? false : "skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run the cluster suite" },
  () => {
    let database: PostgresSchema;
    let redis: RedisProcess;
    const nodes: NodeProcess[] = [];
    const dirs: string[] = [];
    const consumers: Consumer[] = [];
    const sockets: RawCable[] = [];
    let env: Record<string, string>;

    const node = async () => {
      const dir = mkdtempSync(join(tmpdir(), "parley-node-"));
      dirs.push(dir);
      const started = await startNode({ ...env, STORAGE_DIR: dir });
      nodes.push(started);
      return started;
    };
    const raw = async (url: string, options: Parameters<typeof openRawCable>[1] = {}) => {
      const socket = await openRawCable(url, options);
      sockets.push(socket);
      return socket;
    };

    before(async () => {
      database = (await postgresSchema())!;
      redis = await startRedis();
      env = {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SECRET_KEY_BASE: randomBytes(32).toString("hex"),
        ADMIN_USER: OWNER.username,
        ADMIN_PASSWORD: OWNER.password,
        RATE_LIMIT_PER_MINUTE: "40",
        NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
      };
      // One after another, as a deploy would, and so a failed boot leaves no node starting behind.
      for (let i = 0; i < 3; i++) await node();
    });

    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      for (const socket of sockets) socket.close();
      for (const each of nodes) each.kill("SIGKILL");
      await Promise.all(nodes.map((each) => each.exited));
      await redis?.stop();
      await database?.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it("lets a visitor on one node talk with agents on two others, with the stock client", async () => {
      const [a, b, c] = nodes as [NodeProcess, NodeProcess, NodeProcess];
      const cookie = await login(b.url);
      const consumerB = createConsumer(b.url, { cookie });
      const consumerC = createConsumer(c.url, { cookie: await login(c.url) });
      consumers.push(consumerB, consumerC);
      const agentB = new RecordingSubscription(consumerB, { channel: "AdminChannel" });
      const agentC = new RecordingSubscription(consumerC, { channel: "AdminChannel" });
      const visitorConsumer = createConsumer(a.url, { token: visitorToken() });
      consumers.push(visitorConsumer);
      const visitor = new RecordingSubscription(visitorConsumer, { channel: "VisitorChannel" });
      await Promise.all([agentB, agentC, visitor].map((s) => s.until(() => s.confirmed)));
      await visitor.next((m) => m.type === "availability" && m.online === true);

      visitor.perform("send_message", { content: "hello from node A", visitor_name: "Ada" });
      const atB = await agentB.next((m) => m.type === "new_message");
      await agentC.next((m) => m.type === "new_message");
      const conversationId = atB.conversation_id as number;

      agentC.perform("send_message", { conversation_id: conversationId, content: "hello from node C" });
      await visitor.next((m) => m.type === "message" && (m.message as Msg).content === "hello from node C");
      await agentB.next(
        (m) => m.type === "new_message" && (m.message as Msg).content === "hello from node C",
      );

      agentB.perform("assign", { conversation_id: conversationId });
      await agentC.next(
        (m) =>
          m.type === "conversation_updated" &&
          (m.conversation as { assignee_id: number }).assignee_id !== null,
      );
    });

    it("holds a visitor's rate limit across nodes", async () => {
      const [a, b] = nodes as [NodeProcess, NodeProcess];
      const token = visitorToken();
      const types: string[] = [];
      for (let i = 0; i < 42; i++) {
        const socket = await raw(i % 2 === 0 ? a.url : b.url);
        const id = socket.subscribe({ channel: "VisitorChannel", token });
        await socket.next((f) => f.type === "confirm_subscription");
        socket.perform(id, { action: "send_message", content: `m${i}` });
        const answer = await socket.next((f) => ["message", "too_fast"].includes(payload(f)?.type ?? ""));
        types.push(payload(answer)!.type!);
        socket.close();
      }
      assert.equal(types.filter((t) => t === "message").length, 40);
      assert.deepEqual(types.slice(40), ["too_fast", "too_fast"]);
    });

    it("loses and doubles nothing when a node is killed with -9 under traffic", async () => {
      const victim = await node();
      const [, b] = nodes as [NodeProcess, NodeProcess];
      const agent = await raw(b.url, { cookie: await login(b.url) });
      agent.subscribe({ channel: "AdminChannel" });
      await agent.next((f) => f.type === "confirm_subscription");

      interface Visitor {
        token: string;
        socket: RawCable;
        id: string;
        sent: string[];
        acked: Map<string, number>;
        highest: number;
      }
      const track = (visitor: Visitor, socket: RawCable) =>
        socket.socket.on("message", (data: Buffer) => {
          const body = payload(JSON.parse(data.toString("utf8")) as Record<string, unknown>);
          const messages =
            body?.type === "message" ? [body.message!] : body?.type === "history" ? body.messages! : [];
          for (const message of messages) {
            if (message.client_id !== undefined) visitor.acked.set(message.client_id, message.id);
            visitor.highest = Math.max(visitor.highest, message.id);
          }
        });
      const visitors: Visitor[] = [];
      for (let v = 0; v < 5; v++) {
        const token = visitorToken();
        const socket = await raw(victim.url);
        const id = socket.subscribe({ channel: "VisitorChannel", token });
        await socket.next((f) => f.type === "confirm_subscription");
        const visitor: Visitor = { token, socket, id, sent: [], acked: new Map(), highest: 0 };
        track(visitor, socket);
        visitors.push(visitor);
      }
      const send = (visitor: Visitor, clientId: string) =>
        visitor.socket.perform(visitor.id, {
          action: "send_message",
          content: `message ${clientId}`,
          client_id: clientId,
        });
      for (let round = 1; round <= 5; round++) {
        for (const [v, visitor] of visitors.entries()) {
          const clientId = `v${v}-${round}`;
          visitor.sent.push(clientId);
          send(visitor, clientId);
        }
        if (round === 3) victim.kill("SIGKILL");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await victim.exited;

      // Each visitor comes back on node B with `since` and retries what was never acknowledged,
      // with the same client_id, as the widget does.
      for (const visitor of visitors) {
        const socket = await raw(b.url);
        track(visitor, socket);
        visitor.socket = socket;
        visitor.id = socket.subscribe({
          channel: "VisitorChannel",
          token: visitor.token,
          since: visitor.highest,
        });
        await socket.next((f) => f.type === "confirm_subscription");
        for (const clientId of visitor.sent) if (!visitor.acked.has(clientId)) send(visitor, clientId);
      }
      const expected = visitors.length * 5;
      const agentClientIds = () =>
        new Set(
          agent.frames
            .filter((f) => payload(f)?.type === "new_message")
            .map((f) => payload(f)!.message!.client_id),
        );
      await agent
        .next(() => agentClientIds().size >= expected, 15_000)
        .catch((error: unknown) => {
          const missing = visitors.flatMap((v) =>
            v.sent
              .filter((cid) => !agentClientIds().has(cid))
              .map((cid) => `${cid}${v.acked.has(cid) ? " (acked)" : ""}`),
          );
          throw new Error(`the agent never got ${missing.join(", ")}`, { cause: error });
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const atAgent = agent.frames
        .filter((f) => payload(f)?.type === "new_message")
        .map((f) => payload(f)!.message!);
      const clientIds = atAgent.map((m) => m.client_id);
      assert.equal(new Set(clientIds).size, clientIds.length, "no message reached the agent twice");
      assert.equal(atAgent.length, expected, "every message reached the agent");
      for (const visitor of visitors) {
        for (const [clientId, id] of visitor.acked) {
          assert.ok(
            atAgent.some((m) => m.id === id && m.client_id === clientId),
            `acknowledged ${clientId} is stored`,
          );
        }
      }
    });

    it("delivers every message exactly once across a Redis restart", async () => {
      const [a, b, c] = nodes as [NodeProcess, NodeProcess, NodeProcess];
      const agents = [
        await raw(b.url, { cookie: await login(b.url) }),
        await raw(c.url, { cookie: await login(c.url) }),
      ];
      for (const agent of agents) {
        agent.subscribe({ channel: "AdminChannel" });
        await agent.next((f) => f.type === "confirm_subscription");
      }
      const visitor = await raw(a.url);
      const id = visitor.subscribe({ channel: "VisitorChannel", token: visitorToken() });
      await visitor.next((f) => f.type === "confirm_subscription");

      const total = 30;
      for (let i = 1; i <= total; i++) {
        visitor.perform(id, {
          action: "send_message",
          content: `through the blink ${i}`,
          client_id: `blink-${i}`,
        });
        if (i === 10) await redis.restart(300);
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
      for (const receiver of [visitor, ...agents]) {
        const type = receiver === visitor ? "message" : "new_message";
        await receiver.next(
          () =>
            new Set(
              receiver.frames
                .filter((f) => payload(f)?.type === type)
                .map((f) => payload(f)!.message!.client_id),
            ).size === total,
          20_000,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        const ids = receiver.frames
          .filter((f) => payload(f)?.type === type)
          .map((f) => payload(f)!.message!.id);
        assert.equal(ids.length, total, `${type}: every message exactly once`);
        assert.equal(new Set(ids).size, total);
      }
    });
  },
);
