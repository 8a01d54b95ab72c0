/**
 * A pending delivery whose job is gone (the store failed between storing the delivery and its
 * job) is woken at the next boot: the outbox, not the job, is what must be delivered.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import Database from "better-sqlite3";
import { sqlitePath } from "../../src/store/index.js";
import { Owner, Visitor, startTestServer, webhookEnv } from "./harness.js";
import { Receiver, eventually } from "./receiver.js";

it("delivers a pending delivery whose job was lost, after a restart", async () => {
  const receiver = await Receiver.start();
  receiver.answer = () => 500;
  const env = webhookEnv({ WEBHOOK_RETRY_SCHEDULE: "3600" });
  const first = await startTestServer(env);
  let second: typeof first | undefined;
  try {
    const owner = await Owner.of(first);
    await owner.createWebhook({ url: receiver.url, events: ["message.created"] });
    const visitor = await Visitor.connect(first.url);
    await visitor.say("do not lose me");
    await eventually(() => receiver.received.length === 1, "the failed attempt");
    visitor.close();
    await first.close();

    // The job goes; the delivery stays pending, due now.
    const db = new Database(sqlitePath(first.storageDir));
    const removed = db.prepare("delete from jobs where kind = 'webhook.deliver'").run().changes;
    db.prepare("update webhook_deliveries set next_attempt_at = ? where status = 'pending'").run(
      new Date().toISOString(),
    );
    db.close();
    assert.equal(removed, 1);

    receiver.answer = () => 200;
    second = await startTestServer(env, first.storageDir);
    const [event] = await eventually(
      () => receiver.accepted<{ id: string }>().length === 1 && receiver.accepted<{ id: string }>(),
      "the delivery",
    );
    assert.equal(event!.id, receiver.received[0]!.headers["parley-event-id"]);
  } finally {
    await (second ?? first).dispose();
    await receiver.close();
  }
});
