/**
 * Notes and availability across nodes (protocol §15): a note added on one node reaches the
 * mentioned agent whose inbox is open on another; an availability chosen on one node is heard,
 * listed and counted for the widget on the other. Two servers in this process on one Postgres
 * and a private Redis; runs when TEST_DATABASE_URL and TEST_REDIS_URL are set.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import type { Agent, Note, WidgetConfig } from "@parley/protocol";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startRedis, type RedisProcess } from "../support/processes.js";
import { login, startTestServer, WIDGET_ORIGIN, type TestServer } from "../support/testServer.js";
import { Visitor } from "../webhooks/harness.js";

const configured = Boolean(process.env.TEST_DATABASE_URL) && Boolean(process.env.TEST_REDIS_URL);
const ANN = { username: "ann", password: "ann-password-1" };

describe(
  "notes and availability across nodes",
  { skip: configured ? false : "skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run the cluster suite" },
  () => {
    let database: PostgresSchema;
    let redis: RedisProcess;
    let one: TestServer;
    let two: TestServer;
    let owner: string;
    let annId: number;
    const consumers: Consumer[] = [];
    let visitor: Visitor | undefined;

    const call = async (url: string, method: string, path: string, cookie: string, body?: unknown) => {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const inbox = async (url: string, cookie: string, agentId: number) => {
      const consumer = createConsumer(url, { cookie });
      consumers.push(consumer);
      const admin = new RecordingSubscription(consumer, { channel: "AdminChannel" });
      await admin.next((m) => m.type === "conversations");
      await admin.next(
        (m) => m.type === "agent_availability" && m.agent_id === agentId && m.availability === "online",
      );
      return admin;
    };
    const widgetOnline = async (url: string) =>
      (
        (await (
          await fetch(`${url}/widget/config`, { headers: { origin: WIDGET_ORIGIN } })
        ).json()) as WidgetConfig
      ).agents_online;

    before(async () => {
      database = (await postgresSchema())!;
      redis = await startRedis();
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SECRET_KEY_BASE: randomBytes(32).toString("hex"),
      };
      one = await startTestServer(env);
      two = await startTestServer(env);
      owner = await login(one.url);
      const created = await call(one.url, "POST", "/agents", owner, ANN);
      annId = (created.body.agent as Agent).id;
    });

    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      visitor?.close();
      await Promise.allSettled([one?.dispose(), two?.dispose()]);
      await redis?.stop();
      await database?.drop();
    });

    it("a note on one node reaches the mentioned agent on the other; a choice there is heard here", async () => {
      const annCookie = await login(two.url, ANN);
      const ownerInbox = await inbox(one.url, owner, 1);
      const annInbox = await inbox(two.url, annCookie, annId);
      await ownerInbox.next(
        (m) => m.type === "agent_availability" && m.agent_id === annId && m.availability === "online",
      );

      visitor = await Visitor.connect(one.url);
      await visitor.say("hello from node one");
      const conversationId = (await one.store.findConversationByToken(visitor.token))!.id;
      const added = await call(one.url, "POST", `/conversations/${conversationId}/notes`, owner, {
        content: "@ann can you take this?",
      });
      assert.equal(added.status, 201);
      const heard = (await annInbox.next((m) => m.type === "note_created")).note as Note;
      assert.deepEqual(heard.mention_ids, [annId]);
      assert.equal(heard.id, (added.body.note as Note).id);

      // The owner steps away on node one: node two's widget still has Ann.
      ownerInbox.perform("set_availability", { availability: "away" });
      await annInbox.next(
        (m) => m.type === "agent_availability" && m.agent_id === 1 && m.availability === "away",
      );
      assert.equal(await widgetOnline(two.url), true);
      // Ann steps away on node two: node one hears it, lists it, and its widget goes offline.
      annInbox.perform("set_availability", { availability: "away" });
      await ownerInbox.next(
        (m) => m.type === "agent_availability" && m.agent_id === annId && m.availability === "away",
      );
      const agents = (await call(one.url, "GET", "/agents", owner)).body.agents as Agent[];
      assert.deepEqual(
        agents.map((agent) => [agent.username, agent.availability, agent.chosen_availability]),
        [
          ["owner", "away", "away"],
          ["ann", "away", "away"],
        ],
      );
      assert.equal(await widgetOnline(one.url), false);
      annInbox.perform("set_availability", { availability: "online" });
      // (Her first coming online is among what the owner heard already: wait for the second.)
      await ownerInbox.until(
        () =>
          ownerInbox.received.filter(
            (m) => m.type === "agent_availability" && m.agent_id === annId && m.availability === "online",
          ).length === 2,
      );
      assert.equal(await widgetOnline(one.url), true);
    });
  },
);
