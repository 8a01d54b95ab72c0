/**
 * Push in a cluster: an agent with the inbox open on node B is not pushed for a visitor writing
 * on node A, and once the inbox is closed the push comes exactly once although both nodes run
 * the job worker. Runs with TEST_DATABASE_URL and TEST_REDIS_URL (a private redis-server).
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import webpush from "web-push";
import { agentApi, sleep } from "../push/support/agentApi.js";
import { FakePushService } from "../push/support/fakePushService.js";
import { makeTestCertificate } from "../push/support/testCertificate.js";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startNode, startRedis, type NodeProcess, type RedisProcess } from "../support/processes.js";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import { login, OWNER, visitorToken } from "../support/testServer.js";

const configured = Boolean(process.env.TEST_DATABASE_URL) && Boolean(process.env.TEST_REDIS_URL);
/** Long enough for a push that should not come (or a second copy) to have come. */
const QUIET_MS = 2500;

describe(
  "push across nodes",
  { skip: configured ? false : "skipped: set TEST_DATABASE_URL and TEST_REDIS_URL to run the cluster suite" },
  () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-cluster-push-"));
    let database: PostgresSchema;
    let redis: RedisProcess;
    let service: FakePushService;
    const nodes: NodeProcess[] = [];
    const sockets: RawCable[] = [];

    before(async () => {
      database = (await postgresSchema())!;
      redis = await startRedis();
      const certificate = makeTestCertificate(dir);
      service = await FakePushService.start(certificate);
      const vapid = webpush.generateVAPIDKeys();
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SECRET_KEY_BASE: randomBytes(32).toString("hex"),
        ADMIN_USER: OWNER.username,
        ADMIN_PASSWORD: OWNER.password,
        VAPID_PUBLIC_KEY: vapid.publicKey,
        VAPID_PRIVATE_KEY: vapid.privateKey,
        VAPID_SUBJECT: "mailto:ops@example.com",
        NODE_EXTRA_CA_CERTS: certificate.caFile,
        PUSH_ENDPOINT_ORIGINS: service.origin,
      };
      for (const name of ["a", "b"]) nodes.push(await startNode({ ...env, STORAGE_DIR: join(dir, name) }));
      service.vapidPublicKey = vapid.publicKey;
    });

    after(async () => {
      for (const socket of sockets) socket.close();
      for (const node of nodes) node.kill("SIGKILL");
      await Promise.all(nodes.map((node) => node.exited));
      await service?.close();
      await redis?.stop();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const visitorWrites = async (url: string, content: string) => {
      const visitor = await openRawCable(url);
      sockets.push(visitor);
      const id = visitor.subscribe({ channel: "VisitorChannel", token: visitorToken() });
      await visitor.next((f) => f.type === "confirm_subscription");
      visitor.perform(id, { action: "send_message", content, visitor_name: "Ada" });
      await visitor.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
    };

    it("skips an agent watching on another node, and pushes once when nobody watches", async () => {
      const [a, b] = nodes as [NodeProcess, NodeProcess];
      const cookie = await login(b.url);
      const subscription = service.subscribe();
      assert.equal((await agentApi(b.url, cookie).subscribe(subscription.body)).status, 201);

      const inbox = await openRawCable(b.url, { cookie });
      inbox.subscribe({ channel: "AdminChannel" });
      await inbox.next((f) => f.type === "confirm_subscription");
      await visitorWrites(a.url, "written on node A while the agent watches on node B");
      await inbox.next((f) => (f.message as { type?: string } | undefined)?.type === "new_message");
      await sleep(QUIET_MS);
      assert.deepEqual(service.to(subscription.endpoint), [], "the agent saw it live on node B");

      inbox.close();
      await inbox.closed;
      await sleep(300);
      await visitorWrites(a.url, "written on node A with nobody watching");
      const [push] = await service.waitFor(subscription.endpoint, 1);
      assert.equal(push?.payload.body, "written on node A with nobody watching");
      await sleep(QUIET_MS);
      assert.equal(service.to(subscription.endpoint).length, 1, "both workers ran, the job ran once");
      assert.deepEqual(service.problems, []);
    });
  },
);
