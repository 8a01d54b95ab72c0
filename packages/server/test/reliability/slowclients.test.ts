/**
 * Slow and hostile clients against a real server and real sockets: one that stops reading is cut
 * off at the send buffer's bound; sockets that never subscribe, or answer no ping, time out;
 * uploads declared too large are refused before their body is read; a body sent a byte a second
 * times out while other visitors' requests go on being answered.
 */
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { afterEach, describe, it } from "node:test";
import WebSocket from "ws";
import { openRawCable } from "../support/rawCable.js";
import { startTestServer, visitorToken, WIDGET_ORIGIN, type TestServer } from "../support/testServer.js";

const PROTOCOLS = ["actioncable-v1-json", "actioncable-unsupported"];
const LONG_MESSAGE = "x".repeat(2000);

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function metric(server: TestServer, line: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
  const found = text.split("\n").find((each) => each.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}

/** An HTTP request written by hand: its head now, the body as the test likes. */
function rawRequest(server: TestServer, head: string): { socket: Socket; answer: Promise<string> } {
  const socket = connect(server.port, "127.0.0.1");
  socket.write(head);
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => {});
  const answer = new Promise<string>((resolve) => socket.on("close", () => resolve(text)));
  return { socket, answer };
}

describe("slow and hostile clients", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (env: Record<string, string> = {}) => {
    const server = await startTestServer({
      METRICS_PORT: "0",
      RATE_LIMIT_PER_MINUTE: "100000",
      NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
      ...env,
    });
    cleanups.push(() => server.dispose());
    return server;
  };

  it("cuts off a client that stops reading once its send buffer passes the bound", async () => {
    // The bound is the operator's (CABLE_MAX_BUFFERED_KB): here under one history.
    const server = await start({ CABLE_MAX_BUFFERED_KB: "256" });
    const token = visitorToken();
    const visitor = await openRawCable(server.url);
    cleanups.push(() => visitor.close());
    const identifier = visitor.subscribe({ channel: "VisitorChannel", token });
    await visitor.next((frame) => frame.type === "confirm_subscription");
    // A conversation whose history is about 600 KB.
    for (let i = 0; i < 300; i++)
      visitor.perform(identifier, { action: "send_message", content: LONG_MESSAGE, client_id: `m${i}` });
    await visitor.next(
      (frame) => (frame.message as { message?: { client_id?: string } })?.message?.client_id === "m299",
    );
    const openBefore = await metric(server, "parley_connections");

    // The hostile part: stop reading, and keep asking for that history.
    const tcp = (visitor.socket as unknown as { _socket: Socket })._socket;
    tcp.pause();
    let asked = 0;
    const asking = setInterval(() => {
      if (visitor.socket.readyState !== WebSocket.OPEN) return;
      const again = JSON.stringify({ channel: "VisitorChannel", token, limit: 1000 - (asked++ % 500) });
      visitor.send({ command: "subscribe", identifier: again });
      visitor.send({ command: "unsubscribe", identifier: again });
    }, 20);
    cleanups.push(() => clearInterval(asking));
    await until("the slow consumer is cut off", async () => {
      return (await metric(server, 'parley_cable_cut_off_total{reason="slow_consumer"}')) === 1;
    });
    clearInterval(asking);
    assert.equal(await metric(server, "parley_connections"), openBefore - 1, "its connection is gone");
    assert.ok(asked * 600_000 > 256 * 1024, `cut off after ${asked} histories, past the bound`);
    // Everyone else is still served.
    const other = await openRawCable(server.url);
    cleanups.push(() => other.close());
    other.subscribe({ channel: "VisitorChannel", token: visitorToken() });
    await other.next((frame) => frame.type === "confirm_subscription");
  });

  it("times out sockets that never subscribe or answer no ping, and keeps a live quiet one", async () => {
    const server = await start({ CABLE_IDLE_TIMEOUT_SECONDS: "8" });
    const cable = `ws://127.0.0.1:${server.port}/cable`;
    const open = (autoPong: boolean) =>
      new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(cable, PROTOCOLS, { headers: { origin: server.url }, autoPong });
        socket.once("open", () => resolve(socket));
        socket.once("error", reject);
      });
    const idle = await Promise.all(Array.from({ length: 50 }, () => open(true)));
    const silent = await open(false);
    const live = await open(true);
    for (const socket of [silent, live]) {
      socket.send(
        JSON.stringify({
          command: "subscribe",
          identifier: JSON.stringify({ channel: "VisitorChannel", token: visitorToken() }),
        }),
      );
    }
    const all = [...idle, silent, live];
    cleanups.push(() => all.forEach((socket) => socket.terminate()));
    const closed = new Set<WebSocket>();
    for (const socket of all) socket.on("close", () => closed.add(socket));

    await until(
      "the idle and silent sockets to be closed",
      () => idle.every((s) => closed.has(s)) && closed.has(silent),
    );
    assert.equal(closed.has(live), false, "a subscribed client that answers pings stays");
    assert.equal(await metric(server, 'parley_cable_cut_off_total{reason="idle"}'), 51);
    assert.equal(await metric(server, "parley_connections"), 1);
  });

  it("refuses an upload declared too large with 413 before reading its body", async () => {
    const server = await start();
    const { socket, answer } = rawRequest(
      server,
      "POST /uploads HTTP/1.1\r\n" +
        `Host: 127.0.0.1:${server.port}\r\n` +
        `Origin: ${WIDGET_ORIGIN}\r\n` +
        `X-Visitor-Token: ${visitorToken()}\r\n` +
        "Content-Type: multipart/form-data; boundary=b\r\n" +
        "Content-Length: 500000000\r\n\r\n",
    );
    // Not a byte of the 500 MB is sent: the answer must come anyway.
    cleanups.push(() => void socket.destroy());
    const head = await Promise.race([
      answer,
      until("an answer", () => false, 30_000).then(() => "none"),
      new Promise<string>((resolve) =>
        socket.on("data", (chunk: Buffer) => resolve(chunk.toString("latin1"))),
      ),
    ]);
    assert.match(head, /^HTTP\/1\.1 413 /);
  });

  it("times out a body sent a byte a second, while other requests are answered", async () => {
    const server = await start({ REQUEST_TIMEOUT_SECONDS: "3" });
    const { socket, answer } = rawRequest(
      server,
      "POST /uploads HTTP/1.1\r\n" +
        `Host: 127.0.0.1:${server.port}\r\n` +
        `Origin: ${WIDGET_ORIGIN}\r\n` +
        `X-Visitor-Token: ${visitorToken()}\r\n` +
        "Content-Type: multipart/form-data; boundary=b\r\n" +
        "Content-Length: 100000\r\n\r\n",
    );
    cleanups.push(() => void socket.destroy());
    let dripped = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write("-");
      dripped++;
    }, 1000);
    cleanups.push(() => clearInterval(drip));

    let answered = 0;
    let ended = false;
    void answer.then(() => (ended = true));
    while (!ended && answered < 200) {
      const response = await fetch(`${server.url}/up`);
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      answered++;
    }
    assert.ok(answered > 0, "other requests were answered while the slow body dripped");
    const text = await answer;
    clearInterval(drip);
    assert.ok(dripped < 100_000, "the server gave up long before the body was complete");
    assert.match(text, /^HTTP\/1\.1 408 /, "Request Timeout, and the socket closed");
  });
});
