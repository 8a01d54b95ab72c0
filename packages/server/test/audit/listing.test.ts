/**
 * `GET /audit_log` (protocol §17): owners only (by cookie), newest first, filtered by action,
 * agent and time, paged by cursor; bad filters are a clear 400.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AuditEntry, AuditLogResponse } from "@parley/protocol";
import { login } from "../support/testServer.js";
import { call, ENGINES, skipFor, startAuditServer, type AuditServer } from "./harness.js";

const START = Date.parse("2026-01-01T00:00:00.000Z");
const minute = (n: number) => new Date(START + n * 60_000).toISOString();
const SEEDED = 60;

for (const engine of ENGINES) {
  describe(`the audit log's listing (${engine})`, { skip: skipFor(engine) }, () => {
    let audit: AuditServer;
    let agentCookie: string;
    let token: string;

    before(async () => {
      audit = await startAuditServer(engine);
      // Even minutes: site.updated by agent 7 (since deleted: no such agent); odd: webhook.updated by the owner.
      for (let i = 0; i < SEEDED; i += 1) {
        const even = i % 2 === 0;
        await audit.server.store.insertAuditEntry({
          action: even ? "site.updated" : "webhook.updated",
          agentId: even ? 7 : 1,
          agentName: even ? "Gone" : "Owner",
          apiTokenId: null,
          ipAddress: "192.0.2.1",
          targetType: even ? "site" : "webhook",
          targetId: i + 1,
          siteId: 1,
          details: { fields: ["name"], n: i },
          at: minute(i),
        });
      }
      const agent = await call(audit.server, "POST", "/agents", {
        cookie: audit.ownerCookie,
        json: { username: "bo", password: "a long password", name: "Bo" },
      });
      assert.equal(agent.status, 201);
      agentCookie = await login(audit.server.url, { username: "bo", password: "a long password" });
      const created = await call(audit.server, "POST", "/api_tokens", {
        cookie: audit.ownerCookie,
        json: { name: "reader", scope: "read_write" },
      });
      token = created.body.token as string;
    });
    after(() => audit?.dispose());

    const list = async (query = "") => {
      const response = await call(audit.server, "GET", `/audit_log${query}`, { cookie: audit.ownerCookie });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      return response.body as unknown as AuditLogResponse;
    };

    it("pages newest first, 50 by default, until the cursor is null", async () => {
      const all = await audit.server.store.listAuditEntries({ limit: 10_000 });
      const first = await list();
      assert.equal(first.entries.length, 50);
      assert.deepEqual(
        first.entries.map((entry) => entry.id),
        all.slice(0, 50).map((entry) => entry.id),
      );
      assert.equal(first.next_cursor, first.entries[49]!.id);
      const rest = await list(`?before=${first.next_cursor}`);
      assert.deepEqual(
        rest.entries.map((entry) => entry.id),
        all.slice(50).map((entry) => entry.id),
      );
      assert.equal(rest.next_cursor, null);

      const small = await list("?limit=7");
      assert.equal(small.entries.length, 7);
      assert.equal(small.next_cursor, small.entries[6]!.id);
      assert.equal((await list("?limit=200")).entries.length, all.length);
    });

    it("answers entries in their wire shape", async () => {
      const { entries } = await list("?action=webhook.updated&limit=1");
      const newest: AuditEntry = entries[0]!;
      assert.deepEqual(
        { ...newest, id: 0 },
        {
          id: 0,
          action: "webhook.updated",
          agent_id: 1,
          agent_name: "Owner",
          api_token_id: null,
          ip_address: "192.0.2.1",
          target_type: "webhook",
          target_id: SEEDED,
          site_id: 1,
          details: { fields: ["name"], n: SEEDED - 1 },
          at: minute(SEEDED - 1),
        },
      );
    });

    it("filters by action, agent and time, and pages within a filter", async () => {
      const sites = await list("?action=site.updated&limit=200");
      assert.equal(sites.entries.length, SEEDED / 2);
      assert.ok(sites.entries.every((entry) => entry.action === "site.updated"));

      const gone = await list("?agent_id=7&limit=20");
      assert.equal(gone.entries.length, 20);
      assert.ok(gone.entries.every((entry) => entry.agent_id === 7 && entry.agent_name === "Gone"));
      const goneRest = await list(`?agent_id=7&limit=20&before=${gone.next_cursor}`);
      assert.equal(goneRest.entries.length, SEEDED / 2 - 20);
      assert.equal(goneRest.next_cursor, null);

      const window = await list(`?since=${minute(10)}&until=${minute(20)}&limit=200`);
      assert.deepEqual(
        window.entries.map((entry) => entry.at),
        Array.from({ length: 10 }, (_, i) => minute(19 - i)),
      );
      // Any ISO offset means the same instant.
      const offset = await list(
        `?since=${encodeURIComponent("2026-01-01T01:10:00+01:00")}&until=${minute(12)}`,
      );
      assert.deepEqual(
        offset.entries.map((entry) => entry.at),
        [minute(11), minute(10)],
      );
      const both = await list(`?action=webhook.updated&agent_id=7`);
      assert.deepEqual(both.entries, []);
    });

    it("refuses bad filters with a 400 that says why", async () => {
      for (const query of [
        "?limit=0",
        "?limit=201",
        "?limit=ten",
        "?action=auth.everything",
        "?agent_id=0",
        "?before=-1",
        "?since=yesterday",
        "?until=2026-13-45T00:00:00Z",
      ]) {
        const response = await call(audit.server, "GET", `/audit_log${query}`, { cookie: audit.ownerCookie });
        assert.equal(response.status, 400, query);
        assert.equal(typeof response.body.error, "string", query);
      }
    });

    it("is for owners only: agents get 403, API tokens 403, nobody 401", async () => {
      const asAgent = await call(audit.server, "GET", "/audit_log", { cookie: agentCookie });
      assert.equal(asAgent.status, 403);
      const asToken = await call(audit.server, "GET", "/audit_log", { token });
      assert.equal(asToken.status, 403);
      const asNobody = await call(audit.server, "GET", "/audit_log");
      assert.equal(asNobody.status, 401);
    });
  });
}
