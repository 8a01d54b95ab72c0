/**
 * Email's switches (protocol §16): off without SMTP_URL & co (409 where sending is asked, the
 * widget told so), on with them; each agent's own email alert settings.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { login, startTestServer, WIDGET_ORIGIN } from "../support/testServer.js";
import { startEmailTestBed } from "./harness.js";

async function widgetConfig(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}/widget/config`, { headers: { origin: WIDGET_ORIGIN } });
  assert.equal(response.status, 200);
  return (await response.json()) as Record<string, unknown>;
}

describe("email settings", () => {
  it("without SMTP_URL: 409 Email is not configured, the status says off, the widget does not ask", async () => {
    const server = await startTestServer();
    try {
      const cookie = await login(server.url);
      const call = (method: string, path: string, json?: unknown) =>
        fetch(`${server.url}${path}`, {
          method,
          headers: { cookie, ...(json === undefined ? {} : { "content-type": "application/json" }) },
          ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        });
      const test = await call("POST", "/settings/email/test", { to: "owner@example.com" });
      assert.equal(test.status, 409);
      assert.equal(((await test.json()) as { error: string }).error, "Email is not configured");
      const status = await call("GET", "/settings/email");
      assert.equal(status.status, 200);
      assert.deepEqual(await status.json(), {
        sending: false,
        receiving: false,
        from: null,
        reply_to: null,
        last_fetch_at: null,
        last_fetch_error: null,
        queued: 0,
        failed_last_day: 0,
      });
      assert.equal(server.email.enabled, false);
      assert.throws(() => server.email.sending(), /Email is not configured/);
      const config = await widgetConfig(server.url);
      assert.equal(config.email_enabled, false);
      assert.equal(config.ask_email_after_seconds, 180, "the owner setting, 3 minutes by default");
    } finally {
      await server.dispose();
    }
  });

  it("with sending on: the widget may ask for an address, when the owner says", async () => {
    const bed = await startEmailTestBed();
    assert.ok(bed !== undefined);
    try {
      const config = await widgetConfig(bed.server.url);
      assert.equal(config.email_enabled, true);
      assert.equal(config.ask_email_after_seconds, 180);
      const patched = await bed.call("PATCH", "/settings", {
        ask_email_after_minutes: 0,
        email_replies_after_minutes: 10,
      });
      assert.equal(patched.status, 200);
      assert.equal((await widgetConfig(bed.server.url)).ask_email_after_seconds, null, "0: only when away");
      assert.equal((await bed.call("PATCH", "/settings", { ask_email_after_minutes: 1441 })).status, 400);
    } finally {
      await bed.dispose();
    }
  });

  it("lets each agent read and set their email and alerts", async () => {
    const server = await startTestServer();
    try {
      const cookie = await login(server.url);
      const call = async (method: string, json?: unknown) => {
        const response = await fetch(`${server.url}/agents/me/email`, {
          method,
          headers: { cookie, ...(json === undefined ? {} : { "content-type": "application/json" }) },
          ...(json === undefined ? {} : { body: JSON.stringify(json) }),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      assert.deepEqual((await call("GET")).body, {
        email: null,
        email_alerts: "within_hours",
        email_alert_after_minutes: 10,
      });
      const set = { email: "owner@example.com", email_alerts: "always", email_alert_after_minutes: 5 };
      const saved = await call("PUT", set);
      assert.equal(saved.status, 200);
      assert.deepEqual(saved.body, set);
      assert.deepEqual((await call("GET")).body, set);
      for (const bad of [
        { ...set, email: "nope" },
        { ...set, email_alerts: "sometimes" },
        { ...set, email_alert_after_minutes: 0 },
        { ...set, email_alert_after_minutes: 1441 },
        { email: null },
      ]) {
        assert.equal((await call("PUT", bad)).status, 400, JSON.stringify(bad));
      }
      const cleared = await call("PUT", { ...set, email: null });
      assert.equal(cleared.body.email, null);
      const anonymous = await fetch(`${server.url}/agents/me/email`);
      assert.equal(anonymous.status, 401);
    } finally {
      await server.dispose();
    }
  });
});
