/**
 * Every audited action (protocol §17) writes exactly one entry, with who did it (an agent by
 * cookie, a program by its API token, nobody for a failed login), what it was done to, and a
 * few details; no entry holds a password, token or secret.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AuditAction } from "@parley/protocol";
import type { StoredAuditEntry } from "../../src/store/auditStore.js";
import { Visitor } from "../support/widgetVisitor.js";
import { login, OWNER } from "../support/testServer.js";
import { call, ENGINES, skipFor, startAuditServer, storedEntries, type AuditServer } from "./harness.js";

const BO = { username: "bo", password: "bo's first password" };
const BO_NEW_PASSWORD = "bo's second password";
const BO_RESET_PASSWORD = "bo's password set by the owner";
const WRONG_PASSWORD = "not-the-password-42";
const WEBHOOK_PATH = "/hooks/path-is-a-secret-7f3a";

for (const engine of ENGINES) {
  describe(`audited actions (${engine})`, { skip: skipFor(engine) }, () => {
    let audit: AuditServer;
    let ownerName: string;
    /** Every secret the tests see, to search the stored entries for. */
    const secrets: string[] = [
      OWNER.password,
      BO.password,
      BO_NEW_PASSWORD,
      BO_RESET_PASSWORD,
      WRONG_PASSWORD,
    ];

    before(async () => {
      audit = await startAuditServer(engine);
      const me = await call(audit.server, "GET", "/auth/me", { cookie: audit.ownerCookie });
      ownerName = (me.body.agent as { name: string }).name;
    });
    after(() => audit?.dispose());

    const owner = (method: string, path: string, json?: unknown) =>
      call(audit.server, method, path, {
        cookie: audit.ownerCookie,
        ...(json === undefined ? {} : { json }),
      });

    /** Runs `act` and answers the one entry it wrote; fails when it wrote none, more, or another action. */
    const onlyNewEntry = async (
      action: AuditAction,
      act: () => Promise<unknown>,
    ): Promise<StoredAuditEntry> => {
      const before = await storedEntries(audit.server);
      const lastId = before.at(-1)?.id ?? 0;
      await act();
      const added = (await storedEntries(audit.server)).filter((entry) => entry.id > lastId);
      assert.deepEqual(
        added.map((entry) => entry.action),
        [action],
      );
      return added[0]!;
    };

    const byOwner = (entry: StoredAuditEntry) => {
      assert.equal(entry.agentId, 1);
      assert.equal(entry.agentName, ownerName);
      assert.equal(entry.apiTokenId, null);
      assert.equal(entry.ipAddress, "127.0.0.1");
    };

    it("records the owner's login, with their name and address", async () => {
      const [first] = await storedEntries(audit.server);
      assert.equal(first?.action, "auth.login");
      byOwner(first);
      assert.deepEqual(first.details, {});
    });

    it("records a failed login as nobody's, with the username tried and not the password", async () => {
      const entry = await onlyNewEntry("auth.login_failed", async () => {
        const response = await call(audit.server, "POST", "/auth/login", {
          json: { username: "mallory", password: WRONG_PASSWORD },
        });
        assert.equal(response.status, 401);
      });
      assert.equal(entry.agentId, null);
      assert.equal(entry.agentName, null);
      assert.equal(entry.apiTokenId, null);
      assert.equal(entry.ipAddress, "127.0.0.1");
      assert.deepEqual(entry.details, { username: "mallory", limited: false });
    });

    let boId = 0;
    it("records the team's changes: an agent added, renaming and changing their password, a reset", async () => {
      const created = await onlyNewEntry("agent.created", async () => {
        const response = await owner("POST", "/agents", { ...BO, name: "Bo" });
        assert.equal(response.status, 201);
        boId = (response.body.agent as { id: number }).id;
      });
      byOwner(created);
      assert.equal(created.targetType, "agent");
      assert.equal(created.targetId, boId);
      assert.deepEqual(created.details, { username: "bo", name: "Bo", role: "agent" });

      let boCookie = "";
      const boLogin = await onlyNewEntry("auth.login", async () => {
        boCookie = await login(audit.server.url, BO);
      });
      assert.equal(boLogin.agentId, boId);
      assert.equal(boLogin.agentName, "Bo");

      const renamed = await onlyNewEntry("agent.updated", async () => {
        const response = await call(audit.server, "PATCH", "/agents/me", {
          cookie: boCookie,
          json: { name: "Bo B" },
        });
        assert.equal(response.status, 200);
      });
      assert.equal(renamed.agentId, boId);
      assert.equal(renamed.agentName, "Bo", "the name they acted under");
      assert.equal(renamed.targetType, "agent");
      assert.equal(renamed.targetId, boId);
      assert.deepEqual(renamed.details, { fields: ["name"], name: "Bo B" });

      const own = await onlyNewEntry("agent.password_changed", async () => {
        const response = await call(audit.server, "PATCH", "/agents/me", {
          cookie: boCookie,
          json: { password: BO_NEW_PASSWORD, current_password: BO.password },
        });
        assert.equal(response.status, 200);
      });
      assert.equal(own.agentId, boId);
      assert.equal(own.targetId, boId);
      assert.deepEqual(own.details, {});

      const reset = await onlyNewEntry("agent.password_changed", async () => {
        assert.equal(
          (await owner("PUT", `/agents/${boId}/password`, { password: BO_RESET_PASSWORD })).status,
          200,
        );
      });
      byOwner(reset);
      assert.equal(reset.targetType, "agent");
      assert.equal(reset.targetId, boId);
    });

    it("records the keys of owner settings that changed, and nothing when none did", async () => {
      const entry = await onlyNewEntry("settings.updated", async () => {
        const response = await owner("PATCH", "/settings", { audit_log_days: 30, retention_days: 0 });
        assert.equal(response.status, 200, JSON.stringify(response.body));
      });
      byOwner(entry);
      assert.deepEqual(entry.details, { keys: ["audit_log_days"] });

      const count = (await storedEntries(audit.server)).length;
      assert.equal((await owner("PATCH", "/settings", { audit_log_days: 30 })).status, 200);
      assert.equal((await storedEntries(audit.server)).length, count, "an unchanged setting records nothing");
    });

    it("records a site created, changed, and its identity secret rotated (never the secret)", async () => {
      let siteId = 0;
      const created = await onlyNewEntry("site.created", async () => {
        const response = await owner("POST", "/sites", { name: "Shop" });
        assert.equal(response.status, 201);
        siteId = (response.body.site as { id: number }).id;
      });
      byOwner(created);
      assert.equal(created.targetType, "site");
      assert.equal(created.targetId, siteId);
      assert.equal(created.siteId, siteId);
      assert.deepEqual(created.details, { name: "Shop" });

      const updated = await onlyNewEntry("site.updated", async () => {
        assert.equal((await owner("PATCH", `/sites/${siteId}`, { name: "Shop 2" })).status, 200);
      });
      assert.equal(updated.targetId, siteId);
      assert.deepEqual(updated.details, { fields: ["name"] });

      const rotated = await onlyNewEntry("site.identity_rotated", async () => {
        const response = await owner("POST", `/sites/${siteId}/identity/rotate`);
        assert.equal(response.status, 200);
        secrets.push(response.body.secret as string);
      });
      byOwner(rotated);
      assert.equal(rotated.targetType, "site");
      assert.equal(rotated.targetId, siteId);
      assert.deepEqual(rotated.details, {});
    });

    it("records API tokens created and revoked, webhooks by the token that made them, and a deleted conversation", async () => {
      let tokenId = 0;
      let token = "";
      const created = await onlyNewEntry("api_token.created", async () => {
        const response = await owner("POST", "/api_tokens", { name: "CRM sync", scope: "read_write" });
        assert.equal(response.status, 201);
        tokenId = (response.body.api_token as { id: number }).id;
        token = response.body.token as string;
        secrets.push(token);
      });
      byOwner(created);
      assert.equal(created.targetType, "api_token");
      assert.equal(created.targetId, tokenId);
      assert.deepEqual(created.details, { name: "CRM sync", scope: "read_write" });

      let webhookId = 0;
      const hook = await onlyNewEntry("webhook.created", async () => {
        const response = await call(audit.server, "POST", "/sites/1/webhooks", {
          token,
          json: { url: `https://127.0.0.1:9${WEBHOOK_PATH}`, events: ["message.created"] },
        });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        webhookId = (response.body.webhook as { id: number }).id;
        secrets.push(response.body.secret as string, WEBHOOK_PATH);
      });
      assert.equal(hook.apiTokenId, tokenId, "a program is recorded by its token");
      assert.equal(hook.agentId, null);
      assert.equal(hook.agentName, null);
      assert.equal(hook.ipAddress, "127.0.0.1");
      assert.equal(hook.targetType, "webhook");
      assert.equal(hook.targetId, webhookId);
      assert.equal(hook.siteId, 1);
      assert.deepEqual(hook.details, { host: "127.0.0.1:9", events: ["message.created"], format: "parley" });

      const changed = await onlyNewEntry("webhook.updated", async () => {
        assert.equal(
          (await owner("PATCH", `/sites/1/webhooks/${webhookId}`, { enabled: false })).status,
          200,
        );
      });
      byOwner(changed);
      assert.equal(changed.targetId, webhookId);
      assert.deepEqual(changed.details, { fields: ["enabled"] });

      const deleted = await onlyNewEntry("webhook.deleted", async () => {
        assert.equal((await owner("DELETE", `/sites/1/webhooks/${webhookId}`)).status, 200);
      });
      byOwner(deleted);
      assert.equal(deleted.targetId, webhookId);
      assert.equal(deleted.siteId, 1);

      const visitor = await Visitor.connect(audit.server.url);
      await visitor.say("Hello, anyone?");
      visitor.close();
      const list = await owner("GET", "/conversations");
      const conversationId = (list.body.conversations as Array<{ id: number }>)[0]!.id;
      const gone = await onlyNewEntry("conversation.deleted", async () => {
        assert.equal((await owner("DELETE", `/conversations/${conversationId}`)).status, 200);
      });
      byOwner(gone);
      assert.equal(gone.targetType, "conversation");
      assert.equal(gone.targetId, conversationId);
      assert.equal(gone.siteId, 1);

      const revoked = await onlyNewEntry("api_token.revoked", async () => {
        assert.equal((await owner("DELETE", `/api_tokens/${tokenId}`)).status, 200);
      });
      byOwner(revoked);
      assert.equal(revoked.targetId, tokenId);
    });

    it("records an agent deleted; their earlier entries keep their name", async () => {
      const deleted = await onlyNewEntry("agent.deleted", async () => {
        assert.equal((await owner("DELETE", `/agents/${boId}`)).status, 200);
      });
      byOwner(deleted);
      assert.equal(deleted.targetId, boId);
      assert.deepEqual(deleted.details, { username: "bo", name: "Bo B" });
      const boLogin = (await storedEntries(audit.server)).find(
        (entry) => entry.action === "auth.login" && entry.agentId === boId,
      );
      assert.equal(boLogin?.agentName, "Bo");
    });

    it("records failed logins the limiter refuses, marked so", async () => {
      const tried = async () =>
        (
          await call(audit.server, "POST", "/auth/login", {
            json: { username: "mallory", password: WRONG_PASSWORD },
          })
        ).status;
      // One failure so far; the limit is 10 per address and username in 15 minutes.
      for (let i = 0; i < 9; i += 1) assert.equal(await tried(), 401);
      const refused = await onlyNewEntry("auth.login_failed", async () => assert.equal(await tried(), 429));
      assert.equal(refused.agentId, null);
      assert.deepEqual(refused.details, { username: "mallory", limited: true });
    });

    it("records the owner's logout", async () => {
      const entry = await onlyNewEntry("auth.logout", async () => {
        assert.equal((await owner("DELETE", "/auth/logout")).status, 200);
      });
      byOwner(entry);
    });

    it("keeps no password, token or secret in any entry", async () => {
      const stored = JSON.stringify(await storedEntries(audit.server));
      assert.ok(secrets.length >= 9);
      for (const secret of secrets) assert.equal(stored.includes(secret), false, `an entry holds ${secret}`);
    });
  });
}
