/** The webhook variables of the README's environment table: defaults, values, one line per bad value. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.js";
import { testCertificate } from "./receiver.js";

describe("webhook configuration", () => {
  it("defaults to public https targets, 10 s, the long retry schedule and a day's window", () => {
    const { webhooks } = loadConfig({});
    assert.deepEqual(webhooks, {
      allowPrivate: false,
      allowedHosts: [],
      caFile: undefined,
      retryScheduleMs: [10_000, 60_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
      timeoutMs: 10_000,
      disableAfterMs: 86_400_000,
    });
  });

  it("reads every variable", () => {
    const { webhooks } = loadConfig({
      WEBHOOK_ALLOW_PRIVATE: "true",
      WEBHOOK_ALLOWED_HOSTS: "crm.internal, 10.0.0.5,[fd00::1]",
      WEBHOOK_CA_FILE: testCertificate().caFile,
      WEBHOOK_RETRY_SCHEDULE: "0.5, 2,30",
      WEBHOOK_TIMEOUT_MS: "2500",
      WEBHOOK_DISABLE_AFTER_SECONDS: "60",
    });
    assert.equal(webhooks.allowPrivate, true);
    assert.deepEqual(webhooks.allowedHosts, ["crm.internal", "10.0.0.5", "fd00::1"]);
    assert.equal(webhooks.caFile, testCertificate().caFile);
    assert.deepEqual(webhooks.retryScheduleMs, [500, 2000, 30_000]);
    assert.equal(webhooks.timeoutMs, 2500);
    assert.equal(webhooks.disableAfterMs, 60_000);
  });

  it("names the variable of a bad value", () => {
    const bad: Array<[string, string]> = [
      ["WEBHOOK_ALLOW_PRIVATE", "maybe"],
      ["WEBHOOK_ALLOWED_HOSTS", "crm.internal,https://x/"],
      ["WEBHOOK_CA_FILE", "/nonexistent/ca.pem"],
      ["WEBHOOK_RETRY_SCHEDULE", "10,soon"],
      ["WEBHOOK_RETRY_SCHEDULE", "-1"],
      ["WEBHOOK_TIMEOUT_MS", "60000"],
      ["WEBHOOK_DISABLE_AFTER_SECONDS", "0"],
    ];
    for (const [variable, value] of bad) {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) => error instanceof ConfigError && error.variable === variable,
        `${variable}=${value}`,
      );
    }
  });
});
