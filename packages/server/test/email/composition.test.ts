/**
 * The email module as server.ts composes it: a visitor's messages, told by chat, wake one alert
 * job for an away agent with email alerts (its batching and sending: agentAlerts.test.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Visitor } from "../webhooks/harness.js";
import { eventually, startEmailTestBed } from "./harness.js";

describe("email in the server", () => {
  it("wakes one alert job per away agent, however many visitor messages", async () => {
    const bed = await startEmailTestBed();
    assert.ok(bed !== undefined);
    try {
      const saved = await bed.call("PUT", "/agents/me/email", {
        email: "owner@example.com",
        email_alerts: "always",
        email_alert_after_minutes: 7,
      });
      assert.equal(saved.status, 200);
      const visitor = await Visitor.connect(bed.server.url);
      const before = Date.now();
      await visitor.say("Hello?");
      await visitor.say("Anyone?");
      visitor.close();
      const jobs = await eventually(
        "the agent's alert job",
        async () => (await bed.server.store.listJobs()).filter((job) => job.kind === "email.agent_alert"),
        (found) => found.length > 0,
      );
      assert.equal(jobs.length, 1);
      const runAt = new Date(jobs[0]?.runAt ?? 0).getTime();
      assert.ok(runAt >= before + 7 * 60_000 - 1000, "due after the agent's 7 minutes");
      assert.deepEqual(JSON.parse(jobs[0]?.payload ?? "{}"), { agentId: 1 });
    } finally {
      await bed.dispose();
    }
  });
});
