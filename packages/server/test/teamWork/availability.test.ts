/**
 * Availability (protocol §15) as chat/availability.ts derives it, on a real store and broker with
 * a clock the test moves: chosen availability, no inbox, idle inboxes, the owner's idle minutes
 * (0: never away by idleness), and two nodes that share the registry of connected agents and the
 * broker (as a cluster does) deriving the same answer from one node's activity.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { pino } from "pino";
import { MemoryBroker } from "../../src/broker/memoryBroker.js";
import { Availability, type AvailabilityChange } from "../../src/chat/availability.js";
import { LocalPresence } from "../../src/chat/presence.js";
import { openStore } from "../../src/store/openStore.js";
import type { Store } from "../../src/store/store.js";

const MINUTE = 60_000;
const logger = pino({ level: "silent" });

describe("agents' availability", () => {
  const root = mkdtempSync(join(tmpdir(), "parley-availability-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  let stores = 0;

  const setup = async () => {
    const store: Store = await openStore({ storageDir: join(root, `s${++stores}`) });
    await store.migrate();
    const agent = await store.createAgent({
      username: "ada",
      name: "Ada",
      role: "agent",
      passwordHash: "x",
      at: new Date().toISOString(),
    });
    const clock = { ms: Date.UTC(2026, 0, 1) };
    const idle = { minutes: 10 };
    const broker = new MemoryBroker(logger);
    const presence = new LocalPresence();
    const node = (shared = presence) => {
      const availability = new Availability({
        presence: shared,
        store,
        broker,
        idleMinutes: () => idle.minutes,
        now: () => new Date(clock.ms),
        logger,
      });
      const changes: AvailabilityChange[] = [];
      availability.changed.on((change) => changes.push(change));
      return { availability, changes };
    };
    return { store, agent, clock, idle, presence, node };
  };

  it("is offline without an inbox, online with one, away when every inbox idles, online again on activity", async () => {
    const { store, agent, clock, idle, presence, node } = await setup();
    const { availability, changes } = node();
    try {
      await availability.start();
      const now = async () => availability.of((await store.getAgent(agent.id))!);
      assert.equal(await now(), "offline");

      const tab1 = {};
      const tab2 = {};
      availability.connected(agent.id, tab1);
      await presence.agentConnected(agent.id);
      assert.equal(await now(), "online");
      assert.deepEqual(availability.knownOnlineAgents, new Set([agent.id]));

      clock.ms += 5 * MINUTE;
      availability.connected(agent.id, tab2);
      await presence.agentConnected(agent.id);
      clock.ms += 6 * MINUTE; // tab1 idle 11 minutes, tab2 6: one inbox is still used.
      availability.sweep();
      assert.equal(await now(), "online");
      clock.ms += 5 * MINUTE; // both idle
      availability.sweep();
      assert.equal(await now(), "away");
      assert.deepEqual(availability.knownOnlineAgents, new Set());

      availability.activity(agent.id, tab1);
      assert.equal(await now(), "online");
      // The owner turns idleness off: idle inboxes stay online.
      clock.ms += 30 * MINUTE;
      idle.minutes = 0;
      availability.sweep();
      assert.equal(await now(), "online");
      idle.minutes = 10;
      availability.sweep();
      assert.equal(await now(), "away");

      availability.disconnected(agent.id, tab1);
      await presence.agentDisconnected(agent.id);
      availability.disconnected(agent.id, tab2);
      await presence.agentDisconnected(agent.id);
      assert.equal(await now(), "offline");

      assert.deepEqual(
        changes.map((change) => change.availability),
        ["online", "away", "online", "away", "offline"],
      );
      assert.ok(changes.every((change) => change.agentId === agent.id && change.chosen === "online"));
    } finally {
      availability.stop();
      await store.close();
    }
  });

  it("follows the agent's choice, stored: away and offline win over a used inbox", async () => {
    const { store, agent, presence, node } = await setup();
    const { availability, changes } = node();
    try {
      await availability.start();
      const tab = {};
      availability.connected(agent.id, tab);
      await presence.agentConnected(agent.id);
      const away = await availability.choose(agent.id, "away");
      assert.equal(away.chosenAvailability, "away");
      assert.equal(availability.of(away), "away");
      const offline = await availability.choose(agent.id, "offline");
      assert.equal(availability.of(offline), "offline");
      await assert.rejects(availability.choose(agent.id, "busy"), /availability must be/);
      assert.equal((await store.getAgent(agent.id))?.chosenAvailability, "offline");
      const back = await availability.choose(agent.id, "online");
      assert.equal(availability.of(back), "online");
      assert.deepEqual(
        changes.map((change) => [change.availability, change.chosen]),
        [
          ["online", "online"],
          ["away", "away"],
          ["offline", "offline"],
          ["online", "online"],
        ],
      );
    } finally {
      availability.stop();
      await store.close();
    }
  });

  it("derives the same on two nodes: one node's inbox activity and choice reach the other", async () => {
    const { store, agent, clock, presence, node } = await setup();
    const a = node();
    const b = node();
    try {
      await a.availability.start();
      await b.availability.start();
      const tab = {};
      a.availability.connected(agent.id, tab);
      await presence.agentConnected(agent.id);
      const stored = async () => (await store.getAgent(agent.id))!;
      assert.equal(b.availability.of(await stored()), "online");
      clock.ms += 11 * MINUTE;
      a.availability.sweep();
      b.availability.sweep();
      assert.equal(a.availability.of(await stored()), "away");
      assert.equal(b.availability.of(await stored()), "away");
      a.availability.activity(agent.id, tab);
      assert.equal(b.availability.of(await stored()), "online");
      await a.availability.choose(agent.id, "away");
      assert.deepEqual(b.availability.knownOnlineAgents, new Set());
      assert.deepEqual(
        b.changes.map((change) => change.availability),
        a.changes.map((change) => change.availability),
      );
      assert.deepEqual(
        b.changes.map((change) => change.availability),
        ["online", "away", "online", "away"],
      );
    } finally {
      a.availability.stop();
      b.availability.stop();
      await store.close();
    }
  });
});
