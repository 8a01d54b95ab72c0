/**
 * A push waiting for its retry when the server restarts is sent by the next boot, once: on
 * SQLite, and on Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { login, visitorToken } from "../support/testServer.js";
import { agentApi, sleep } from "./support/agentApi.js";
import { startChildServer } from "./support/childServer.js";
import { FakePushService } from "./support/fakePushService.js";
import { makeTestCertificate } from "./support/testCertificate.js";

async function pendingPushSurvivesRestart(databaseUrl: string | undefined): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "parley-push-restart-"));
  const certificate = makeTestCertificate(dir);
  const service = await FakePushService.start(certificate);
  const env = {
    STORAGE_DIR: join(dir, "storage"),
    NODE_EXTRA_CA_CERTS: certificate.caFile,
    PUSH_ENDPOINT_ORIGINS: service.origin,
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
  };
  const first = await startChildServer(env);
  try {
    const api = agentApi(first.url, await login(first.url));
    service.vapidPublicKey = await api.vapidPublicKey();
    const { endpoint, body } = service.subscribe();
    assert.equal((await api.subscribe(body)).status, 201);
    // The retry is due well after the restart below.
    service.script(endpoint, { status: 503, headers: { "retry-after": "3" } });

    const consumer = createConsumer(first.url, { token: visitorToken() });
    const visitor = new RecordingSubscription(consumer, { channel: "VisitorChannel" });
    await visitor.until(() => visitor.confirmed);
    visitor.perform("send_message", { content: "sent just before a deploy" });
    await service.waitFor(endpoint, 1);
    consumer.disconnect();
    assert.equal(await first.stop(), 0, first.output());

    const second = await startChildServer(env);
    try {
      const [failed, delivered] = await service.waitFor(endpoint, 2, 15_000);
      assert.equal(failed?.status, 503);
      assert.equal(delivered?.status, 201);
      assert.equal(delivered?.payload.body, "sent just before a deploy");
      await sleep(1500);
      assert.equal(service.to(endpoint).length, 2, "delivered once, not again");
      assert.deepEqual(service.problems, []);
    } finally {
      assert.equal(await second.stop(), 0, second.output());
    }
  } finally {
    await first.stop();
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a pending push across a restart", () => {
  it("is delivered once by the next boot (SQLite)", () => pendingPushSurvivesRestart(undefined));

  if (process.env.TEST_DATABASE_URL) {
    it("is delivered once by the next boot (Postgres)", async () => {
      const schema = await postgresSchema();
      assert.ok(schema);
      try {
        await pendingPushSurvivesRestart(schema.url);
      } finally {
        await schema.drop();
      }
    });
  } else {
    it("is delivered once by the next boot (Postgres)", { skip: POSTGRES_SKIP }, () => {});
  }
});
