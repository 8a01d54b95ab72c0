/**
 * An endpoint saved before the allow-list was strict (or written into the database by other
 * means) must not be sent to either: the delivery checks it again, and the sender refuses any
 * endpoint web-push's parser would read differently. A listener on 127.0.0.1:443 is where
 * `https://127.0.0.1%2epush.apple.com/` would really have gone.
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import webpush from "web-push";
import { WebPushSender } from "../../src/push/sender.js";
import { openRawCable } from "../support/rawCable.js";
import { workJobs } from "../support/jobs.js";
import { startTestServer, visitorToken, type TestServer } from "../support/testServer.js";
import { browserSubscription } from "./support/browserSubscription.js";

const SMUGGLED = [
  "https://127.0.0.1%2epush.apple.com/x",
  "https://127.0.0.1%2Efcm.googleapis.com/fcm/send/x",
  "https://localhost%2epush.services.mozilla.com/wpush/v2/x",
];

/** Counts connections to 127.0.0.1:443; undefined when this user may not listen there. */
async function loopback443(): Promise<
  { connections: () => number; reset: () => void; close: () => Promise<void> } | undefined
> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    socket.destroy();
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once("error", () => resolve(false));
    server.listen(443, "127.0.0.1", () => resolve(true));
  });
  if (!listening) return undefined;
  return {
    connections: () => count,
    reset: () => {
      count = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("push endpoints checked again when sending", () => {
  let listener: Awaited<ReturnType<typeof loopback443>>;
  let skip: string | false = false;

  before(async () => {
    listener = await loopback443();
    if (listener === undefined) skip = "needs to listen on 127.0.0.1:443 (root, as in CI's container)";
  });
  after(() => listener?.close());

  it("the sender refuses an endpoint web-push would send elsewhere, and connects nowhere", async (t) => {
    if (skip !== false) return t.skip(skip);
    listener!.reset();
    const sender = new WebPushSender({
      vapid: webpush.generateVAPIDKeys(),
      subject: "mailto:test@example.com",
      timeoutMs: 2000,
    });
    for (const endpoint of SMUGGLED) {
      const { body } = browserSubscription(endpoint);
      const result = await sender.send(
        {
          id: 1,
          agentId: 1,
          endpoint,
          p256dh: body.p256dh,
          auth: body.auth,
          createdAt: new Date().toISOString(),
        },
        { payload: "{}", topic: "t", ttlSeconds: 60 },
      );
      assert.equal(result.kind, "rejected", endpoint);
    }
    assert.equal(listener!.connections(), 0);
  });

  describe("a subscription stored before the fix", () => {
    let server: TestServer;
    before(async () => {
      if (skip === false) server = await startTestServer();
    });
    after(() => server?.dispose());

    it("is never sent to: the delivery drops it without a connection", async (t) => {
      if (skip !== false) return t.skip(skip);
      listener!.reset();
      const owner = (await server.store.findAgentByUsername("owner"))!;
      for (const endpoint of SMUGGLED) {
        const { body } = browserSubscription(endpoint);
        await server.store.savePushSubscription({ agentId: owner.id, ...body, at: new Date().toISOString() });
      }
      const visitor = await openRawCable(server.url);
      const id = visitor.subscribe({ channel: "VisitorChannel", token: visitorToken() });
      visitor.perform(id, { action: "send_message", content: "hello", client_id: "m1" });
      await visitor.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
      visitor.close();

      // The notify job enqueues one delivery per subscription and then records the push as sent;
      // each delivery ends when dropped, while one that connected fails its TLS handshake and
      // stays queued for a retry.
      const conversationId = (await server.store.listConversations({ limit: 1 }))[0]!.id;
      const deadline = Date.now() + 15_000;
      for (;;) {
        const enqueued = (await server.store.getPushThrottle(owner.id, conversationId)) !== undefined;
        if (enqueued && (await workJobs(server.store)).length === 0) break;
        if (listener!.connections() > 0 || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(listener!.connections(), 0, "the server connected to 127.0.0.1:443");
      assert.deepEqual(await workJobs(server.store), []);
    });
  });
});
