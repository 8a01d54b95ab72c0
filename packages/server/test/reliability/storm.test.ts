/**
 * Restart storm, small (the bench's storm scenario runs 15,000): 300 visitors connected, the
 * server closed (each gets `server_restart`) and started again on the same storage and port. The
 * visitors come back by the widget's rule (full-jitter backoff, resubscribe with `since`), while
 * an agent answers 60 of them; every answer must arrive exactly once.
 */
import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { ReconnectingVisitor } from "../../../../bench/loadgen/reconnectingVisitor.js";
import { stormFigures } from "../../../../bench/reliability/restartStorm.js";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { login, startTestServer, visitorToken, type TestServer } from "../support/testServer.js";

const VISITORS = 300;
const TALKERS = 60;
const ENV = {
  // Every visitor here shares one address, where real ones each have their own.
  MAX_CONNECTIONS_PER_ADDRESS: "0",
  NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
  RATE_LIMIT_PER_MINUTE: "100000",
};

async function until(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("restart storm", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("brings every visitor back after a restart, with each answer sent meanwhile exactly once", async () => {
    let server: TestServer = await startTestServer(ENV);
    const { port, storageDir } = server;
    cleanups.push(() => server.dispose());
    const cable = `ws://127.0.0.1:${port}/cable`;

    const visitors = Array.from(
      { length: VISITORS },
      () => new ReconnectingVisitor({ url: () => cable, token: visitorToken(), origin: server.url }),
    );
    cleanups.push(() => visitors.forEach((visitor) => visitor.stop()));
    for (let i = 0; i < VISITORS; i += 50) await Promise.all(visitors.slice(i, i + 50).map((v) => v.start()));

    const cookie = await login(server.url);
    const consumer = createConsumer(server.url, { cookie });
    const agent = new RecordingSubscription(consumer, { channel: "AdminChannel" });
    await agent.until(() => agent.confirmed);
    const talkers = visitors.slice(0, TALKERS);
    talkers.forEach((talker, index) =>
      talker.send({ action: "send_message", content: "hello", client_id: `t${index}` }),
    );
    await agent.until(() => agent.ofType("new_message").length === TALKERS);
    const conversationOf = new Map<string, number>();
    for (const event of agent.ofType("new_message")) {
      const message = event.message as { client_id: string };
      conversationOf.set(message.client_id, event.conversation_id as number);
    }
    consumer.disconnect();

    await server.close();
    server = await startTestServer({ ...ENV, PORT: String(port) }, storageDir);
    const upAt = performance.now();

    const expected = new Map<ReconnectingVisitor, number[]>();
    for (const [index, talker] of talkers.entries()) {
      const response = await fetch(
        `${server.url}/conversations/${conversationOf.get(`t${index}`)}/messages`,
        {
          method: "POST",
          headers: { cookie, origin: server.url, "content-type": "application/json" },
          body: JSON.stringify({ content: "Sorry for the wait!", client_id: `reply${index}` }),
        },
      );
      assert.equal(response.status, 201);
      const { message } = (await response.json()) as { message: { id: number } };
      expected.set(talker, [message.id]);
    }
    await until(
      "every visitor back with its answer",
      () =>
        [...expected].every(([visitor, ids]) => ids.every((id) => visitor.received.has(id))) &&
        visitors.every((visitor) => visitor.connected),
    );
    // A duplicate would be on its way behind the first copy: a round trip on each talker's socket
    // (after the store tail's read, nothing more is sent) shows whatever was.
    await server.flushTail();
    await Promise.all(talkers.map((talker) => talker.barrier()));

    const figures = stormFigures(visitors, expected, upAt);
    assert.equal(figures.back, VISITORS, "every visitor came back");
    assert.equal(figures.expected, TALKERS);
    assert.equal(figures.missing, 0, "no answer missing");
    assert.equal(figures.duplicates, 0, "no message arrived twice");
    assert.ok(figures.failedAfterUp < VISITORS, `failed attempts once up: ${figures.failedAfterUp}`);
    assert.equal((await fetch(`${server.url}/up`)).status, 200, "the server holds");
  });
});
