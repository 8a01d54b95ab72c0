/**
 * The sender keeps its connection to a receiver open between deliveries (sender.ts): one TLS
 * connection for a run of events instead of a handshake each, a new one when the receiver has
 * closed it, and a send retried once on a new connection when the kept one was closed under it.
 * A real HTTPS receiver on loopback, told apart by the port each request came from.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { OutboundPolicy } from "../../src/webhooks/addressGuard.js";
import { HttpWebhookSender, type WebhookRequest } from "../../src/webhooks/sender.js";
import { Receiver, testCertificate } from "./receiver.js";

describe("the webhook sender's kept connections", () => {
  let receiver: Receiver;
  let sender: HttpWebhookSender;
  before(async () => {
    receiver = await Receiver.start();
    sender = new HttpWebhookSender({
      policy: new OutboundPolicy({ allowPrivate: false, allowedHosts: ["127.0.0.1"] }),
      timeoutMs: 5000,
      extraCa: readFileSync(testCertificate().caFile, "utf8"),
    });
  });
  after(async () => {
    sender.close();
    await receiver.close();
  });

  let sent = 0;
  const send = () => {
    sent += 1;
    const request: WebhookRequest = {
      url: receiver.url,
      format: "parley",
      secret: "s".repeat(32),
      eventId: `evt_kept_${sent}`,
      eventType: "message.created",
      body: JSON.stringify({ n: sent }),
    };
    return sender.send(request);
  };
  // A connection is reused a turn of the event loop after its answer (sender.ts).
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
  const portsFrom = (first: number) => receiver.received.slice(first).map((entry) => entry.port);

  it("sends deliveries one after another on one connection", async () => {
    const first = receiver.received.length;
    for (let i = 0; i < 3; i++) {
      assert.equal((await send()).ok, true);
      await nextTurn();
    }
    const ports = portsFrom(first);
    assert.equal(ports.length, 3);
    assert.equal(new Set(ports).size, 1, `ports: ${ports.join(", ")}`);
  });

  it("takes a second kept connection at most for a send right after an answer", async () => {
    const first = receiver.received.length;
    for (let i = 0; i < 6; i++) assert.equal((await send()).ok, true);
    const ports = portsFrom(first);
    assert.equal(ports.length, 6);
    assert.ok(new Set(ports).size <= 2, `ports: ${ports.join(", ")}`);
  });

  it("opens a new connection when the receiver closed the idle one", async () => {
    const first = receiver.received.length;
    assert.equal((await send()).ok, true);
    receiver.closeIdleConnections();
    // The sender sees the close before its next send, and does not pick that connection.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await send()).ok, true);
    const ports = portsFrom(first);
    assert.equal(ports.length, 2);
    assert.notEqual(ports[0], ports[1]);
  });

  it("sends again on a new connection when the kept one is closed as it is reused", async () => {
    // One kept connection only, so the next send takes the one the first used.
    receiver.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const first = receiver.received.length;
    assert.equal((await send()).ok, true);
    await nextTurn();
    // The next request on that connection finds it closed without an answer (a receiver's
    // keep-alive timeout passing just then): nothing was received, so it goes again.
    receiver.answer = (index) => (index === first + 1 ? "drop" : 200);
    try {
      const result = await send();
      assert.equal(result.ok, true, JSON.stringify(result));
    } finally {
      receiver.answer = () => 200;
    }
    const entries = receiver.received.slice(first);
    assert.deepEqual(
      entries.map((entry) => entry.answer),
      [200, "drop", 200],
    );
    assert.equal(entries[1]!.port, entries[0]!.port, "the dropped request reused the kept connection");
    assert.notEqual(entries[2]!.port, entries[1]!.port, "the retry went on a new one");
    assert.equal(entries[2]!.body, entries[1]!.body);
  });

  it("does not send again when a new connection is closed without an answer", async () => {
    receiver.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const first = receiver.received.length;
    receiver.answer = (index) => (index === first ? "drop" : 200);
    try {
      const result = await send();
      assert.equal(result.ok, false);
    } finally {
      receiver.answer = () => 200;
    }
    assert.equal(receiver.received.length - first, 1);
  });
});
