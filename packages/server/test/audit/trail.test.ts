/**
 * The store-backed trail (chat/auditLog.ts): it maps each kind of actor onto the entry's columns,
 * and a write that fails is logged, never thrown: the action it records already happened.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { AuditLog } from "../../src/chat/auditLog.js";
import { openStore } from "../../src/store/openStore.js";
import type { Store } from "../../src/store/store.js";

describe("the store-backed audit trail", () => {
  let dir: string;
  let store: Store;
  const lines: string[] = [];
  const logger = pino(
    { level: "error" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  const at = new Date("2026-06-01T12:00:00.000Z");

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "parley-audit-"));
    store = await openStore({ storageDir: dir });
    await store.migrate();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const trail = () => new AuditLog({ store, logger, now: () => at, keepDays: () => 365 });

  it("keeps an agent by id and name, a token by id, nobody's address, and the system with none", async () => {
    await trail().record({
      action: "agent.deleted",
      actor: { kind: "agent", agentId: 3, agentName: "Ann", ip: "192.0.2.7" },
      targetType: "agent",
      targetId: 9,
      details: { name: "Gone" },
    });
    await trail().record({
      action: "webhook.deleted",
      actor: { kind: "token", tokenId: 4, ip: "192.0.2.8" },
      siteId: 2,
    });
    await trail().record({ action: "auth.login_failed", actor: { kind: "anonymous", ip: "192.0.2.9" } });
    await trail().record({
      action: "retention.deleted",
      actor: { kind: "system" },
      details: { conversations: 2 },
    });
    const entries = (await store.listAuditEntries({ limit: 10 })).reverse();
    assert.deepEqual(
      entries.map(({ id: _id, ...entry }) => entry),
      [
        {
          action: "agent.deleted",
          agentId: 3,
          agentName: "Ann",
          apiTokenId: null,
          ipAddress: "192.0.2.7",
          targetType: "agent",
          targetId: 9,
          siteId: null,
          details: { name: "Gone" },
          at: at.toISOString(),
        },
        {
          action: "webhook.deleted",
          agentId: null,
          agentName: null,
          apiTokenId: 4,
          ipAddress: "192.0.2.8",
          targetType: null,
          targetId: null,
          siteId: 2,
          details: {},
          at: at.toISOString(),
        },
        {
          action: "auth.login_failed",
          agentId: null,
          agentName: null,
          apiTokenId: null,
          ipAddress: "192.0.2.9",
          targetType: null,
          targetId: null,
          siteId: null,
          details: {},
          at: at.toISOString(),
        },
        {
          action: "retention.deleted",
          agentId: null,
          agentName: null,
          apiTokenId: null,
          ipAddress: null,
          targetType: null,
          targetId: null,
          siteId: null,
          details: { conversations: 2 },
          at: at.toISOString(),
        },
      ],
    );
  });

  it("logs a failed write and resolves", async () => {
    await store.close();
    await trail().record({ action: "auth.logout", actor: { kind: "anonymous", ip: null } });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /audit entry not written/);
    assert.match(lines[0]!, /auth\.logout/);
  });
});
