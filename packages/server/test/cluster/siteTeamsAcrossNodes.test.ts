/**
 * Team per site across nodes (protocol §10): an owner changes a site's team on one node, and an
 * agent whose inbox is open on another node hears the site and its conversations from then on,
 * while that node's visitors of the site see the team come online. Two servers in this process
 * on one Postgres and a private Redis; runs when TEST_DATABASE_URL and TEST_REDIS_URL are set.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import type { Site } from "@parley/protocol";
import { createConsumer, RecordingSubscription, type Received } from "../support/cable.js";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startRedis, type RedisProcess } from "../support/processes.js";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

const configured = Boolean(process.env.TEST_DATABASE_URL) && Boolean(process.env.TEST_REDIS_URL);
const DOCS_ORIGIN = "https://docs.example";

describe(
  "team per site across nodes",
  { skip: configured ? false : "skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run the cluster suite" },
  () => {
    let database: PostgresSchema;
    let redis: RedisProcess;
    let one: TestServer;
    let two: TestServer;
    let owner: string;
    let docs: Site;
    let annId: number;
    let bobId: number;
    const consumers: Consumer[] = [];
    let visitor: RawCable | undefined;

    const asOwner = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${one.url}${path}`, {
        method,
        headers: { cookie: owner, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
      return (await response.json()) as Record<string, unknown>;
    };
    const inbox = async (url: string, credentials: { username: string; password: string }) => {
      const consumer = createConsumer(url, { cookie: await login(url, credentials) });
      consumers.push(consumer);
      const admin = new RecordingSubscription(consumer, { channel: "AdminChannel" });
      await admin.next((m) => m.type === "conversations");
      return admin;
    };

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
      const created = async (username: string) =>
        (
          (await asOwner("POST", "/agents", { username, password: `${username}-password-1` })) as {
            agent: { id: number };
          }
        ).agent.id;
      annId = await created("ann");
      bobId = await created("bob");
      docs = (
        (await asOwner("POST", "/sites", {
          name: "Docs",
          allowed_origins: [DOCS_ORIGIN],
          agent_ids: [bobId],
        })) as { site: Site }
      ).site;
    });

    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      visitor?.close();
      await Promise.allSettled([one?.dispose(), two?.dispose()]);
      await redis?.stop();
      await database?.drop();
    });

    it("moves an agent's live view and the site's availability on every node", async () => {
      // Ann's inbox is on node two; a docs visitor is on node two too; nobody of the docs is online.
      const ann = await inbox(two.url, { username: "ann", password: "ann-password-1" });
      visitor = await openRawCable(two.url, { origin: DOCS_ORIGIN });
      const key = visitor.subscribe({ channel: "VisitorChannel", token: visitorToken(), site: docs.key });
      await visitor.next((f) => f.identifier === key && f.type === "confirm_subscription");
      const availability = (online: boolean) => (f: Record<string, unknown>) =>
        (f.message as { type?: string; online?: boolean } | undefined)?.type === "availability" &&
        (f.message as { online: boolean }).online === online;
      await visitor.next(availability(false));

      // Bob answers a docs conversation on node one: Ann, not on the team, hears nothing of it.
      const bob = await inbox(one.url, { username: "bob", password: "bob-password-1" });
      const { conversation } = await one.store.createConversation({
        token: visitorToken(),
        visitorName: "Dora",
        createdIp: null,
        siteId: docs.id,
        at: new Date().toISOString(),
      });
      const said = (content: string) => (m: Received) =>
        m.type === "new_message" && (m.message as { content: string }).content === content;
      bob.perform("send_message", { conversation_id: conversation.id, content: "before", client_id: "b-1" });
      await bob.next(said("before"));

      // The owner adds Ann to the docs team on node one.
      await asOwner("PATCH", `/sites/${docs.id}`, { agent_ids: [annId, bobId] });
      await ann.next((m) => m.type === "site_updated" && (m.site as { id: number }).id === docs.id);
      await visitor.next(availability(true));
      bob.perform("send_message", { conversation_id: conversation.id, content: "after", client_id: "b-2" });
      await ann.next(said("after"));
      assert.equal(ann.received.filter(said("before")).length, 0, "nothing from before she joined");
    });
  },
);
