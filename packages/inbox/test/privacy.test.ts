/** The privacy tools' words and checks (§17): the audit log's actions, actors and details, the erase confirmation. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { AuditEntry } from "@parley/protocol";
import { AUDIT_ACTIONS } from "@parley/protocol";
import { en } from "../src/i18n/en.js";
import { fr } from "../src/i18n/fr.js";
import { ja } from "../src/i18n/ja.js";
import {
  actionWords,
  actorWords,
  auditQuery,
  detailsText,
  ERASE_REQUEST,
  eraseConfirmed,
  NO_AUDIT_FILTERS,
  targetWords,
} from "../src/state/privacy.js";
import { parseRoute, routePath } from "../src/state/routes.js";
import { settingsChanges, settingsDraft } from "../src/state/siteDraft.js";
import { ownerSettings } from "./fixtures.js";

const entry = (fields: Partial<AuditEntry>): AuditEntry => ({
  id: 1,
  action: "auth.login",
  agent_id: null,
  agent_name: null,
  api_token_id: null,
  ip_address: null,
  target_type: null,
  target_id: null,
  site_id: null,
  details: {},
  at: "2026-12-01T10:00:00Z",
  ...fields,
});

test("every audit action has its own words in every language", () => {
  for (const t of [en, fr, ja]) {
    const words = AUDIT_ACTIONS.map((action) => actionWords(action, t));
    for (const [index, text] of words.entries()) assert.notEqual(text, AUDIT_ACTIONS[index], text);
    assert.equal(new Set(words).size, words.length, "two actions read the same");
  }
  assert.equal(actionWords("contact.erased", en), "Contact erased");
  assert.equal(actionWords("retention.deleted", fr), "Anciennes conversations supprimées");
});

test("an action newer than the inbox shows as its code", () => {
  assert.equal(actionWords("agent.promoted", en), "agent.promoted");
});

test("who acted: the agent's name, a token by id, Parley for the system, else unknown", () => {
  assert.equal(actorWords(entry({ agent_id: 3, agent_name: "Ada" }), en), "Ada");
  assert.equal(actorWords(entry({ agent_id: 3, agent_name: null, ip_address: "::1" }), en), "Agent #3");
  assert.equal(actorWords(entry({ api_token_id: 7, ip_address: "10.0.0.1" }), en), "API token #7");
  assert.equal(actorWords(entry({ action: "retention.deleted" }), en), "Parley");
  assert.equal(actorWords(entry({ action: "auth.login_failed", ip_address: "10.0.0.2" }), en), "Unknown");
  assert.equal(actorWords(entry({ api_token_id: 7, ip_address: "x" }), ja), "API トークン #7");
});

test("what it was done to", () => {
  assert.equal(targetWords(entry({ target_type: "contact", target_id: 12 })), "contact #12");
  assert.equal(targetWords(entry({ target_type: "settings" })), "settings");
  assert.equal(targetWords(entry({})), "");
});

test("details read as compact key: value text", () => {
  assert.equal(
    detailsText({ conversations: 2, messages: 9, files: 1, contacts: 1 }, en),
    "conversations: 2, messages: 9, files: 1, contacts: 1",
  );
  assert.equal(
    detailsText({ username: "bob", fields: ["name", "role"], enabled: true, reason: null, none: [] }, en),
    "username: bob, fields: name role, enabled: Yes, reason: —, none: —",
  );
  assert.equal(detailsText({ enabled: false }, fr), "enabled: Non");
  assert.equal(detailsText({}, en), "");
});

test("erasing asks for the word of the owner's language, and always sends erase", () => {
  assert.equal(eraseConfirmed("erase", en.eraseWord), true);
  assert.equal(eraseConfirmed("  Erase ", en.eraseWord), true);
  assert.equal(eraseConfirmed("eras", en.eraseWord), false);
  assert.equal(eraseConfirmed("", en.eraseWord), false);
  assert.equal(eraseConfirmed("delete", en.eraseWord), false);
  assert.equal(eraseConfirmed("effacer", fr.eraseWord), true);
  assert.equal(eraseConfirmed("erase", fr.eraseWord), false);
  assert.equal(eraseConfirmed("消去", ja.eraseWord), true);
  assert.equal(eraseConfirmed("", ""), false);
  assert.deepEqual(ERASE_REQUEST, { confirm: "erase" });
});

test("the audit query: filters that are set, whole days in local time, the cursor", () => {
  assert.deepEqual(auditQuery(NO_AUDIT_FILTERS, null), {
    action: undefined,
    agent_id: undefined,
    since: undefined,
    until: undefined,
    before: undefined,
  });
  const query = auditQuery(
    { action: "contact.erased", agentId: "4", since: "2026-11-02", until: "2026-11-03" },
    88,
  );
  assert.equal(query.action, "contact.erased");
  assert.equal(query.agent_id, 4);
  assert.equal(query.before, 88);
  assert.equal(query.since, new Date(2026, 10, 2).toISOString());
  assert.equal(query.until, new Date(2026, 10, 4, 0, 0, 0, -1).toISOString());
  assert.equal(auditQuery({ ...NO_AUDIT_FILTERS, since: "nonsense", agentId: "x" }, null).since, undefined);
});

test("the Privacy and Audit log tabs have their own addresses", () => {
  for (const section of ["privacy", "audit"] as const) {
    const path = routePath({ page: "settings", section });
    assert.equal(path, `/admin/settings/${section}`);
    assert.deepEqual(parseRoute(path), { page: "settings", section });
  }
});

test("retention and audit days are saved like the other settings: only what changed", () => {
  const settings = ownerSettings();
  const keys = ["retention_days", "audit_log_days"] as const;
  const draft = settingsDraft(settings);
  assert.equal(draft.retention_days, "0");
  assert.deepEqual(settingsChanges(settings, draft, new Set(), keys), { changes: {} });
  assert.deepEqual(settingsChanges(settings, { ...draft, retention_days: "30" }, new Set(), keys), {
    changes: { retention_days: 30 },
  });
  assert.deepEqual(settingsChanges(settings, { ...draft, audit_log_days: "1.5" }, new Set(), keys), {
    invalid: "audit_log_days",
  });
});
