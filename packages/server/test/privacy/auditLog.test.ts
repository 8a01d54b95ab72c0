/**
 * Composed as in production, exports and erasures land in the store's audit log (GET /audit_log),
 * and an erased person's only trace is that entry: their id and counts, no name, no email.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { AuditLogResponse } from "@parley/protocol";
import { everyRow, personWhoChatted, privacyWorld, tracesOf, type PrivacyWorld } from "./harness.js";

describe("privacy in the store's audit log", () => {
  let world: PrivacyWorld;
  before(async () => {
    world = await privacyWorld({}, { storeTrail: true });
  });
  after(() => world.dispose());

  it("records the export and the erasure; the entry is all that is left of the person", async () => {
    const ada = await personWhoChatted(world, "Ada");
    assert.equal((await world.call("GET", `/contacts/${ada.contactId}/export`)).status, 200);
    const erased = await world.call("POST", `/contacts/${ada.contactId}/erase`, { confirm: "erase" });
    assert.equal(erased.status, 200);

    const log = (await (await world.call("GET", "/audit_log")).json()) as AuditLogResponse;
    const entries = log.entries.filter((entry) => entry.target_type === "contact");
    assert.deepEqual(
      entries.map((entry) => [entry.action, entry.target_id, entry.agent_name]),
      [
        ["contact.erased", ada.contactId, "owner"],
        ["contact.exported", ada.contactId, "owner"],
      ],
    );
    assert.deepEqual(entries[0]!.details, { conversations: 1, messages: 2, files: 1, contacts: 1 });
    assert.deepEqual(tracesOf(await everyRow(world), ada), []);
  });
});
