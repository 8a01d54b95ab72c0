/**
 * Postgres unreachable under traffic (docs/reliability.md): the node reaches Postgres through a
 * proxy cut for about 5 s (connections destroyed, new ones refused) while visitors send. Every
 * send is stored and echoed once or refused with an error the client retries (same client_id),
 * never silently lost; `/up` says the database is unreachable meanwhile; the node recovers by
 * itself. The bench's `outage` scenario cuts for 30 s. Redis restarts under traffic are in
 * test/cluster/cluster.test.ts ("delivers every message exactly once across a Redis restart").
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { POSTGRES_SKIP, postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { DATABASE_UNREACHABLE_MESSAGE } from "../../src/store/errors.js";
import { outageRun } from "./outageRun.js";

describe(
  "a node whose Postgres goes away under traffic",
  { skip: process.env.TEST_DATABASE_URL ? false : POSTGRES_SKIP },
  () => {
    let schema: PostgresSchema;
    before(async () => {
      schema = (await postgresSchema())!;
    });
    after(async () => {
      await schema?.drop();
    });

    it("refuses or stores every send, says so on /up, and recovers when Postgres returns", async () => {
      const result = await outageRun(schema, {
        visitors: 6,
        rate: 40,
        phaseMs: 1500,
        outageMs: 5000,
      });
      assert.ok(result.nodeAlive, "the node never exited");
      assert.ok(result.upDuringOutage.length > 0 && result.upDuringOutage.every((status) => status === 503));
      assert.match(result.upBodyDuringOutage ?? "", /Database unreachable/);
      assert.ok(result.refusals > 0, "sends were refused during the cut");
      assert.equal(result.firstRefusal, DATABASE_UNREACHABLE_MESSAGE);
      assert.equal(result.lost, 0, "every send echoed once the clients retried");
      assert.equal(result.echoedButMissing, 0);
      assert.equal(result.duplicates, 0);
      assert.equal(result.storedRows, result.sent, "each send stored exactly once");
    });
  },
);
