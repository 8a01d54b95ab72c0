/**
 * The Presence contract (presence.ts), written once against the interface and run on every
 * registry (cluster/presence.test.ts). What a registry cannot do is said by its harness: in
 * memory, one process is the whole cluster and cannot die apart from it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Presence } from "./presence.js";

export interface PresenceHarness {
  /**
   * A node of the cluster. Nodes of one harness share one registry when it spans processes;
   * `now` is that node's clock (Date.now by default).
   */
  node(options?: { now?: () => number }): Promise<Presence>;
  close(): Promise<void>;
}

export interface PresenceTraits {
  /** True when a second `node()` is another process sharing the registry. */
  spansNodes: boolean;
  /** How long a node's entries outlive its last heartbeat; absent where a node cannot vanish alone. */
  lapseMs?: number;
}

/** What one node's availability listener heard, with a way to wait for the next change. */
class Availability {
  readonly heard: boolean[] = [];
  private waiting: (() => void) | undefined;

  constructor(presence: Presence) {
    presence.onAvailabilityChange((online) => {
      this.heard.push(online);
      this.waiting?.();
    });
  }

  /** Resolves once `count` changes were heard (other nodes' changes arrive through Redis). */
  async until(count: number): Promise<void> {
    while (this.heard.length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`heard ${this.heard.length} of ${count} changes`)),
          5000,
        );
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

export function presenceContract(open: () => Promise<PresenceHarness>, traits: PresenceTraits): void {
  const withHarness = (run: (harness: PresenceHarness) => Promise<void>) => async () => {
    const harness = await open();
    try {
      await run(harness);
    } finally {
      await harness.close();
    }
  };
  // What only a registry spanning processes can do is not asked of one whose process is the
  // whole cluster: such tests are left out for it, not reported as skipped.
  const lapse = traits.lapseMs;

  describe("the Presence contract", () => {
    it(
      "counts a visitor's connections: online from the first, offline after the last",
      withHarness(async (harness) => {
        const node = await harness.node();
        assert.equal(await node.visitorConnected("v1"), true, "first tab: announce online");
        assert.equal(await node.visitorConnected("v1"), false, "second tab: nothing to announce");
        assert.deepEqual(await node.onlineVisitors(["v1", "v2"]), new Set(["v1"]));
        assert.equal(await node.visitorDisconnected("v1"), false, "a tab is still open");
        assert.deepEqual(await node.onlineVisitors(["v1"]), new Set(["v1"]));
        assert.equal(await node.visitorDisconnected("v1"), true, "last tab: announce offline");
        assert.deepEqual(await node.onlineVisitors(["v1", "v2"]), new Set());
        assert.deepEqual(await node.onlineVisitors([]), new Set());
      }),
    );

    it(
      "announces nothing for a disconnect without a connection",
      withHarness(async (harness) => {
        const node = await harness.node();
        assert.equal(await node.visitorDisconnected("never"), false);
        await node.agentDisconnected(404);
        assert.equal(node.anyAgentOnline, false);
      }),
    );

    it(
      "knows which agents are online, and tells its listeners when the first comes and the last goes",
      withHarness(async (harness) => {
        const node = await harness.node();
        const availability = new Availability(node);
        assert.equal(node.anyAgentOnline, false);
        await node.agentConnected(1);
        assert.equal(node.anyAgentOnline, true, "current once agentConnected resolves");
        assert.deepEqual(availability.heard, [true], "heard once agentConnected resolves");
        await node.agentConnected(2);
        await node.agentConnected(1); // a second tab
        assert.deepEqual(await node.onlineAgents(), new Set([1, 2]));
        await node.agentDisconnected(1);
        await node.agentDisconnected(2);
        assert.equal(node.anyAgentOnline, true, "agent 1 still has a tab");
        assert.deepEqual(await node.onlineAgents(), new Set([1]));
        await node.agentDisconnected(1);
        assert.equal(node.anyAgentOnline, false, "current once agentDisconnected resolves");
        assert.deepEqual(availability.heard, [true, false]);
        assert.deepEqual(await node.onlineAgents(), new Set());
      }),
    );

    it(
      "knows the online agents at once and says when the set changes, not when a second tab comes",
      withHarness(async (harness) => {
        const node = await harness.node();
        let changes = 0;
        node.onAgentsChange(() => changes++);
        assert.deepEqual(node.knownOnlineAgents, new Set());
        await node.agentConnected(1);
        assert.deepEqual(node.knownOnlineAgents, new Set([1]), "current once agentConnected resolves");
        await node.agentConnected(2);
        await node.agentConnected(2); // a second tab
        assert.deepEqual(node.knownOnlineAgents, new Set([1, 2]));
        assert.equal(changes, 2);
        await node.agentDisconnected(2);
        assert.equal(changes, 2, "agent 2 still has a tab");
        await node.agentDisconnected(1);
        assert.deepEqual(node.knownOnlineAgents, new Set([2]));
        assert.equal(changes, 3);
      }),
    );

    it(
      "stops telling a listener that unsubscribed",
      withHarness(async (harness) => {
        const node = await harness.node();
        const heard: boolean[] = [];
        const unsubscribe = node.onAvailabilityChange((online) => heard.push(online));
        await node.agentConnected(1);
        unsubscribe();
        await node.agentDisconnected(1);
        assert.deepEqual(heard, [true]);
      }),
    );

    if (traits.spansNodes)
      it(
        "announces a visitor on several nodes once online and once offline, across the cluster",
        withHarness(async (harness) => {
          const [a, b] = [await harness.node(), await harness.node()];
          assert.equal(await a.visitorConnected("v"), true);
          assert.equal(await b.visitorConnected("v"), false, "already online on another node");
          assert.deepEqual(await b.onlineVisitors(["v"]), new Set(["v"]));
          assert.equal(await a.visitorDisconnected("v"), false, "still online on b");
          assert.equal(await b.visitorDisconnected("v"), true);
          assert.deepEqual(await a.onlineVisitors(["v"]), new Set());
        }),
      );

    if (traits.spansNodes)
      it(
        "tells every node when any agent comes or goes, whichever node they are on",
        withHarness(async (harness) => {
          const [a, b] = [await harness.node(), await harness.node()];
          const onB = new Availability(b);
          await a.agentConnected(1);
          await onB.until(1);
          assert.equal(b.anyAgentOnline, true);
          assert.deepEqual(await b.onlineAgents(), new Set([1]));
          assert.deepEqual(b.knownOnlineAgents, new Set([1]));
          // A second agent changes no "any", but the set, on every node.
          const agentsOnB = new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("b never heard of agent 2")), 5000);
            const stop = b.onAgentsChange(() => {
              if (b.knownOnlineAgents.has(2)) {
                clearTimeout(timer);
                stop();
                resolve();
              }
            });
          });
          await a.agentConnected(2);
          await agentsOnB;
          assert.deepEqual(b.knownOnlineAgents, new Set([1, 2]));
          await a.agentDisconnected(2);
          await a.agentDisconnected(1);
          await onB.until(2);
          assert.deepEqual(onB.heard, [true, false]);
          assert.equal(b.anyAgentOnline, false);
        }),
      );

    if (traits.spansNodes)
      it(
        "knows at once, on a node that joins, whether an agent is online elsewhere",
        withHarness(async (harness) => {
          const a = await harness.node();
          await a.agentConnected(1);
          const late = await harness.node();
          assert.equal(late.anyAgentOnline, true);
        }),
      );

    if (traits.spansNodes)
      it(
        "forgets at once what a node that closes held",
        withHarness(async (harness) => {
          const [a, b] = [await harness.node(), await harness.node()];
          const onA = new Availability(a);
          await b.visitorConnected("v");
          await b.agentConnected(1);
          await onA.until(1);
          await b.close();
          assert.deepEqual(await a.onlineVisitors(["v"]), new Set());
          assert.deepEqual(await a.onlineAgents(), new Set());
          await onA.until(2);
          assert.deepEqual(onA.heard, [true, false]);
        }),
      );

    if (lapse !== undefined)
      it(
        "lets what a vanished node held lapse, so the next connection elsewhere is announced again",
        withHarness(async (harness) => {
          // b stops beating (a crash: no goodbye); a's clock has moved past the lapse.
          let later = 0;
          const a = await harness.node({ now: () => Date.now() + later });
          const b = await harness.node();
          await b.visitorConnected("v");
          await b.agentConnected(1);
          assert.deepEqual(await a.onlineVisitors(["v"]), new Set(["v"]));
          later = lapse + 1;
          assert.deepEqual(await a.onlineVisitors(["v"]), new Set());
          assert.deepEqual(await a.onlineAgents(), new Set());
          assert.equal(await a.visitorConnected("v"), true, "online again, on a");
        }),
      );
  });
}
