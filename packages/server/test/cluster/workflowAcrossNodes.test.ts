/**
 * (§15) The workflow across nodes: a label made on node B reaches an agent on node A
 * (`labels_updated` crosses the broker), a state set on B reaches A as `conversation_updated`,
 * and a snooze set on B wakes (whichever node's worker takes the job) and A's agent hears it.
 * Two servers in this process on one Postgres schema and a private redis-server. Runs when
 * TEST_DATABASE_URL and TEST_REDIS_URL are set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Conversation, Label } from "@parley/protocol";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startRedis, type RedisProcess } from "../support/processes.js";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

const clustered = Boolean(process.env.TEST_DATABASE_URL) && Boolean(process.env.TEST_REDIS_URL);
type Event = { type?: string; labels?: Label[]; conversation?: Conversation };
const eventOf = (frame: Record<string, unknown>) => frame.message as Event | undefined;

describe(
  "workflow across nodes",
  { skip: clustered ? false : "skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run the cluster suite" },
  () => {
    let database: PostgresSchema;
    let redis: RedisProcess;
    let a: TestServer;
    let b: TestServer;
    let ownerB: string;
    let agentOnA: RawCable;
    let conversationId: number;

    const onB = async (path: string, method: string, json: unknown) => {
      const response = await fetch(`${b.url}${path}`, {
        method,
        headers: { cookie: ownerB, "content-type": "application/json" },
        body: JSON.stringify(json),
      });
      assert.ok(response.ok, `${method} ${path}: ${response.status}`);
      return response.json() as Promise<{ label?: Label; conversation?: Conversation }>;
    };

    before(async () => {
      database = (await postgresSchema())!;
      redis = await startRedis();
      const env = { DATABASE_URL: database.url, REDIS_URL: redis.url };
      a = await startTestServer(env);
      b = await startTestServer(env);
      ownerB = await login(b.url);
      const { conversation } = await a.store.createConversation({
        token: visitorToken(),
        visitorName: "Nadia",
        createdIp: null,
        siteId: (await a.store.getDefaultSite()).id,
        at: new Date().toISOString(),
      });
      conversationId = conversation.id;
      agentOnA = await openRawCable(a.url, { cookie: await login(a.url) });
      const key = agentOnA.subscribe({ channel: "AdminChannel" });
      await agentOnA.next((f) => f.identifier === key && eventOf(f)?.type === "view_counts");
    });
    after(async () => {
      agentOnA?.close();
      await a?.dispose();
      await b?.dispose();
      await redis?.stop();
      await database?.drop();
    });

    it("tells an agent on node A of a label and a state changed on node B", async () => {
      const { label } = await onB("/labels", "POST", { name: "Urgent", color: "#ff0000" });
      const heard = await agentOnA.next((f) => eventOf(f)?.type === "labels_updated");
      assert.deepEqual(eventOf(heard)?.labels, [label]);

      await onB(`/conversations/${conversationId}/labels`, "PUT", { label_ids: [label!.id] });
      await agentOnA.next((f) => eventOf(f)?.conversation?.label_ids.includes(label!.id) === true);
      await onB(`/conversations/${conversationId}/state`, "PUT", { state: "pending" });
      await agentOnA.next((f) => eventOf(f)?.conversation?.state === "pending");
    });

    it("wakes a snooze set on node B, and node A's agent hears it", async () => {
      const until = new Date(Date.now() + 2000).toISOString();
      await onB(`/conversations/${conversationId}/state`, "PUT", { state: "snoozed", snoozed_until: until });
      await agentOnA.next((f) => eventOf(f)?.conversation?.snoozed_until === until);
      const from = agentOnA.frames.length;
      const woke = await agentOnA.next(
        (f) => agentOnA.frames.indexOf(f) >= from && eventOf(f)?.conversation?.state === "open",
        10_000,
      );
      assert.equal(eventOf(woke)?.conversation?.snoozed_until, null);
      assert.ok(Date.now() >= Date.parse(until));
    });
  },
);
