/**
 * What the cable server does with a socket once its upgrade is done, on fake transports and a
 * mocked clock: welcome, pings, who may stay, tags, and the log context of each connection.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it, mock } from "node:test";
import { PING_INTERVAL_MS } from "@parley/protocol";
import { FakeTransport } from "../testing/fakeTransport.js";
import { captureLogs, type CapturedLogs } from "../testing/logs.js";
import { CableServer, type CutOff } from "./cableServer.js";
import type { Channel } from "./channel.js";
import { DISCONNECTS } from "./disconnects.js";
import { IDLE_TIMEOUT_MS } from "./limits.js";

type Identity = { kind: "agent"; id: number; secret: string } | { kind: "visitor"; token: string };

const START_MS = Date.UTC(2030, 0, 1);

describe("the cable server", () => {
  let logs: CapturedLogs;
  let cable: CableServer<Identity>;
  let cutOffs: CutOff[];
  const failing: Channel<Identity> = {
    subscribe: async () => ({
      perform: async () => {
        throw new Error("broken action");
      },
      unsubscribed: () => {},
    }),
  };

  beforeEach(() => {
    mock.timers.enable({ apis: ["Date", "setInterval"], now: START_MS });
    logs = captureLogs();
    cutOffs = [];
    cable = new CableServer<Identity>({
      onCutOff: (why) => cutOffs.push(why),
      channels: new Map([["FailingChannel", failing]]),
      logger: logs.logger,
      isOriginAllowed: () => true,
      authenticate: async () => null,
      remoteAddress: () => "192.0.2.1",
      logIdentity: (identity) =>
        identity.kind === "agent" ? { identity: "agent", agentId: identity.id } : { identity: "visitor" },
    });
  });

  afterEach(async () => {
    await cable.close();
    mock.timers.reset();
  });

  const agent = (id: number, tags: string[] = []) => ({
    identity: { kind: "agent" as const, id, secret: `s3cret-${id}` },
    tags,
  });

  it("welcomes a connection, then pings it once per interval with the time in seconds", () => {
    const transport = new FakeTransport();
    cable.accept(transport, agent(1), "192.0.2.1");
    assert.deepEqual(transport.sent, [{ type: "welcome" }]);
    mock.timers.tick(PING_INTERVAL_MS);
    assert.deepEqual(transport.ofType("ping"), [
      { type: "ping", message: Math.floor((START_MS + PING_INTERVAL_MS) / 1000) },
    ]);
    mock.timers.tick(PING_INTERVAL_MS);
    assert.equal(transport.ofType("ping").length, 2);
  });

  it("spreads pings over the interval, so many connections are never written in one go", () => {
    const transports = Array.from({ length: 120 }, () => new FakeTransport());
    for (const transport of transports) cable.accept(transport, agent(1), "192.0.2.1");
    mock.timers.tick(PING_INTERVAL_MS / 2);
    const pinged = transports.filter((transport) => transport.ofType("ping").length === 1).length;
    assert.ok(
      pinged > 0 && pinged < transports.length,
      `half an interval pinged ${pinged} of ${transports.length}`,
    );
    mock.timers.tick(PING_INTERVAL_MS / 2);
    assert.ok(transports.every((transport) => transport.ofType("ping").length === 1));
  });

  it("tells a refused credential it is unauthorized (1008), and turns connections away while paused (1012)", async () => {
    const refused = new FakeTransport();
    cable.accept(refused, null, "192.0.2.1");
    assert.deepEqual(refused.sent, [{ type: "disconnect", reason: "unauthorized", reconnect: false }]);
    assert.equal(refused.closedWith, 1008);
    await cable.pause();
    const late = new FakeTransport();
    cable.accept(late, agent(1), "192.0.2.1");
    assert.deepEqual(late.sent, [{ type: "disconnect", reason: "server_restart", reconnect: true }]);
    assert.equal(late.closedWith, 1012);
    assert.equal(cable.connectionCount, 0);
  });

  it("disconnects the connections carrying a tag, and forgets connections that closed", () => {
    const ended = new FakeTransport();
    const other = new FakeTransport();
    const gone = new FakeTransport();
    cable.accept(ended, agent(1, ["session:a"]), "192.0.2.1");
    cable.accept(other, agent(2, ["session:b"]), "192.0.2.1");
    cable.accept(gone, agent(3, ["session:c"]), "192.0.2.1");
    gone.drop();
    assert.deepEqual([...cable.tags()].sort(), ["session:a", "session:b"]);
    assert.equal(cable.disconnectTagged("session:a", DISCONNECTS.unauthorized), 1);
    assert.equal(ended.closedWith, 1008);
    assert.equal(other.closedWith, undefined);
    assert.equal(cable.connectionCount, 1);
    mock.timers.tick(PING_INTERVAL_MS);
    assert.equal(gone.ofType("ping").length, 0, "a closed connection is not pinged");
  });

  it("logs what a connection does with its id and who it is, never its secrets", async () => {
    const first = new FakeTransport();
    const second = new FakeTransport();
    cable.accept(first, agent(7), "192.0.2.1");
    cable.accept(
      second,
      { identity: { kind: "visitor", token: "visitor-token-0123456789" }, tags: [] },
      "192.0.2.1",
    );
    const identifier = JSON.stringify({ channel: "FailingChannel" });
    for (const transport of [first, second]) {
      transport.receive({ command: "subscribe", identifier });
      transport.receive({
        command: "message",
        identifier,
        data: JSON.stringify({ action: "close_conversation" }),
      });
    }
    await new Promise((resolve) => setImmediate(resolve));
    const [agentLine, visitorLine] = logs.withMessage("cable action failed");
    assert.equal(agentLine?.identity, "agent");
    assert.equal(agentLine?.agentId, 7);
    assert.equal(agentLine?.channel, "FailingChannel");
    assert.equal(agentLine?.action, "close_conversation");
    assert.equal(visitorLine?.identity, "visitor");
    assert.equal(typeof agentLine?.connection, "string");
    assert.notEqual(agentLine?.connection, visitorLine?.connection, "each connection has its own id");
    const all = JSON.stringify(logs.lines());
    assert.ok(!all.includes("visitor-token-0123456789") && !all.includes("s3cret-"), all);
  });

  describe("idle sockets", () => {
    const identifier = JSON.stringify({ channel: "FailingChannel" });
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    it("closes a socket that never subscribes once the idle timeout has passed", () => {
      const transport = new FakeTransport();
      cable.accept(transport, agent(1), "192.0.2.1");
      mock.timers.tick(IDLE_TIMEOUT_MS - PING_INTERVAL_MS);
      assert.equal(transport.closedWith, undefined, "not before the timeout");
      mock.timers.tick(2 * PING_INTERVAL_MS);
      assert.equal(transport.closedWith, 1008);
      assert.deepEqual(transport.ofType("disconnect").at(-1), {
        type: "disconnect",
        reason: "remote",
        reconnect: false,
      });
      assert.deepEqual(cutOffs, ["idle"]);
      assert.equal(cable.connectionCount, 0);
    });

    it("keeps a subscribed client that answers pings, however quiet it is", async () => {
      const transport = new FakeTransport();
      cable.accept(transport, agent(1), "192.0.2.1");
      transport.receive({ command: "subscribe", identifier });
      await settle();
      for (let waited = 0; waited < 5 * IDLE_TIMEOUT_MS; waited += PING_INTERVAL_MS)
        mock.timers.tick(PING_INTERVAL_MS);
      assert.equal(transport.closedWith, undefined);
      assert.equal(transport.terminated, false);
      assert.ok(transport.pings > 0, "it was asked whether it is there");
      assert.equal(cable.connectionCount, 1);
    });

    it("drops a subscribed socket that answers nothing for the idle timeout, without a handshake", async () => {
      const transport = new FakeTransport();
      transport.answersPings = false;
      cable.accept(transport, agent(1), "192.0.2.1");
      transport.receive({ command: "subscribe", identifier });
      await settle();
      mock.timers.tick(IDLE_TIMEOUT_MS / 2 + PING_INTERVAL_MS);
      assert.ok(transport.pings > 0, "pinged once half the timeout passed in silence");
      assert.equal(transport.terminated, false);
      mock.timers.tick(IDLE_TIMEOUT_MS / 2 + PING_INTERVAL_MS);
      await settle();
      assert.equal(transport.terminated, true);
      assert.deepEqual(cutOffs, ["idle"]);
      assert.equal(cable.connectionCount, 0);
    });

    it("spreads the pings of connections that fell silent together over half the timeout", async () => {
      const transports = Array.from({ length: 600 }, () => new FakeTransport());
      for (const transport of transports) {
        cable.accept(transport, agent(1), "192.0.2.1");
        transport.receive({ command: "subscribe", identifier });
      }
      await settle();
      const pinged = () => transports.reduce((sum, transport) => sum + transport.pings, 0);
      // One ping interval at a time (the clock moves as the ticks go), up to just before the
      // timeout: the first asked, at exactly half of it, are due again then.
      const perInterval: number[] = [];
      for (let waited = 0; waited < IDLE_TIMEOUT_MS - PING_INTERVAL_MS; waited += PING_INTERVAL_MS) {
        const before = pinged();
        mock.timers.tick(PING_INTERVAL_MS);
        perInterval.push(pinged() - before);
      }
      const half = IDLE_TIMEOUT_MS / 2 / PING_INTERVAL_MS;
      assert.equal(
        perInterval.slice(0, half - 1).reduce((a, b) => a + b, 0),
        0,
        "nobody is asked before half the timeout",
      );
      assert.ok(
        transports.every((transport) => transport.pings === 1),
        "each asked once, in the half that follows",
      );
      assert.ok(
        Math.max(...perInterval) <= (2 * transports.length) / half,
        `asked per ping interval: ${perInterval.join(", ")}`,
      );
      assert.deepEqual(cutOffs, []);
    });

    it("does not take a server too busy to ping for a silent client: it pings first", async () => {
      const transport = new FakeTransport();
      cable.accept(transport, agent(1), "192.0.2.1");
      transport.receive({ command: "subscribe", identifier });
      await settle();
      // The event loop was busy for longer than the timeout: no check ran, nobody was pinged.
      mock.timers.setTime(Date.now() + 2 * IDLE_TIMEOUT_MS);
      mock.timers.tick(PING_INTERVAL_MS);
      await settle();
      assert.equal(transport.terminated, false);
      assert.ok(transport.pings > 0, "asked, and it answered");
      assert.deepEqual(cutOffs, []);
      assert.equal(cable.connectionCount, 1);
    });

    it("reads a pong waiting behind a busy turn of the event loop before dropping anyone", async () => {
      const transport = new FakeTransport();
      transport.answersPings = false;
      cable.accept(transport, agent(1), "192.0.2.1");
      transport.receive({ command: "subscribe", identifier });
      await settle();
      mock.timers.tick(IDLE_TIMEOUT_MS / 2 + PING_INTERVAL_MS);
      assert.ok(transport.pings > 0);
      mock.timers.setTime(Date.now() + IDLE_TIMEOUT_MS);
      mock.timers.tick(PING_INTERVAL_MS);
      // The timer ran first; the pong, sent long ago, is read in the same turn, after it.
      transport.lastHeardAt = Date.now();
      await settle();
      assert.equal(transport.terminated, false, "its pong counted");
      // Silent from then on: dropped once the timeout has passed again.
      for (
        let waited = 0;
        waited < 2 * IDLE_TIMEOUT_MS && !transport.terminated;
        waited += PING_INTERVAL_MS
      ) {
        mock.timers.tick(PING_INTERVAL_MS);
        await settle();
      }
      assert.equal(transport.terminated, true);
      assert.deepEqual(cutOffs, ["idle"]);
    });
  });
});
