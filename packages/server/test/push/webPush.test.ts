/**
 * Web push end to end: the server runs as its own process and trusts a CA made here only through
 * NODE_EXTRA_CA_CERTS; a push service on loopback checks every VAPID token and decrypts every
 * payload as a real push service and browser would. Visitors write through the stock
 * ActionCable client.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { login, visitorToken } from "../support/testServer.js";
import { agentApi, sleep } from "./support/agentApi.js";
import { startChildServer, type ChildServer } from "./support/childServer.js";
import { FakePushService } from "./support/fakePushService.js";
import { makeTestCertificate } from "./support/testCertificate.js";

/** Long enough for a push that should not come to have come. */
const QUIET_MS = 1500;

describe("web push to agents", () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-push-"));
  const consumers: Consumer[] = [];
  let service: FakePushService;
  let server: ChildServer;
  let api: ReturnType<typeof agentApi>;
  let cookie: string;

  /** A visitor with a token of their own, writing through the stock client. */
  const newVisitor = async (name = "Ada") => {
    const consumer = createConsumer(server.url, { token: visitorToken() });
    consumers.push(consumer);
    const visitor = new RecordingSubscription(consumer, { channel: "VisitorChannel" });
    await visitor.until(() => visitor.confirmed);
    let sent = 0;
    return {
      /** Resolves once the message is stored (its echo came back). */
      write: async (content: string) => {
        const clientId = `m${++sent}`;
        visitor.perform("send_message", { content, visitor_name: name, client_id: clientId });
        await visitor.next(
          (m) => m.type === "message" && (m.message as { client_id?: string }).client_id === clientId,
        );
      },
    };
  };

  /** The newest conversation's id: the tests have one visitor write at a time. */
  const newestConversationId = async (): Promise<number> => {
    const response = await fetch(`${server.url}/conversations?limit=1`, { headers: { cookie } });
    return ((await response.json()) as { conversations: { id: number }[] }).conversations[0]!.id;
  };

  /** A new visitor writes these messages; resolves with their conversation's id. */
  const visitorWrites = async (contents: string[], name = "Ada"): Promise<number> => {
    const visitor = await newVisitor(name);
    for (const content of contents) await visitor.write(content);
    return newestConversationId();
  };

  const subscribed = async () => {
    const subscription = service.subscribe();
    assert.equal((await api.subscribe(subscription.body)).status, 201);
    return subscription;
  };

  before(async () => {
    const certificate = makeTestCertificate(dir);
    service = await FakePushService.start(certificate);
    server = await startChildServer({
      STORAGE_DIR: join(dir, "storage"),
      NODE_EXTRA_CA_CERTS: certificate.caFile,
      PUSH_ENDPOINT_ORIGINS: service.origin,
    });
    cookie = await login(server.url);
    api = agentApi(server.url, cookie);
    service.vapidPublicKey = await api.vapidPublicKey();
  });

  after(async () => {
    for (const consumer of consumers) consumer.disconnect();
    assert.equal(await server.stop(), 0, server.output());
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers the VAPID public key, a 65-byte P-256 point, to anyone", async () => {
    const key = Buffer.from(service.vapidPublicKey, "base64url");
    assert.equal(key.length, 65);
    assert.equal(key[0], 0x04);
  });

  it("pushes a visitor's message to an agent whose inbox is closed: signed, encrypted, collapsed", async () => {
    const { endpoint } = await subscribed();
    const visitor = await newVisitor();
    await visitor.write("Hello! Do you ship to Norway? ".repeat(6));
    const conversationId = await newestConversationId();
    const [push] = await service.waitFor(endpoint, 1);
    assert.deepEqual(service.problems, []);
    assert.ok(push);
    assert.equal(push.status, 201);
    assert.deepEqual(push.payload, {
      title: "New message from Ada",
      body: `${"Hello! Do you ship to Norway? ".repeat(6).trim().slice(0, 99)}…`,
      url: `/admin/chats/${conversationId}`,
      tag: `parley-conversation-${conversationId}`,
      conversation_id: conversationId,
      count: 1,
    });
    assert.equal(push.payload.body.length, 100);
    assert.ok(push.bytes < 1024, `payload is ${push.bytes} bytes`);
    assert.equal(push.ttl, "3600");
    assert.equal(push.urgency, "high");
    assert.equal(push.topic, `conversation-${conversationId}`);

    // More messages in that conversation within the minute wait to be told in one later push.
    await visitor.write("Hello?");
    await visitor.write("Still there?");
    await sleep(QUIET_MS);
    assert.equal(service.to(endpoint).length, 1);
    await api.unsubscribe(endpoint);
  });

  it("sends nothing to an agent with the inbox open, and pushes again once it is closed", async () => {
    const { endpoint } = await subscribed();
    const inbox = createConsumer(server.url, { cookie });
    const admin = new RecordingSubscription(inbox, { channel: "AdminChannel" });
    await admin.next((m) => m.type === "conversations");
    await visitorWrites(["Anyone there?"]);
    await admin.next((m) => m.type === "new_message");
    await sleep(QUIET_MS);
    assert.deepEqual(service.to(endpoint), [], "the agent saw it live");

    inbox.disconnect();
    await sleep(300);
    const conversationId = await visitorWrites(["Hello again"], "Bo");
    const [push] = await service.waitFor(endpoint, 1);
    assert.equal(push?.payload.conversation_id, conversationId);
    assert.equal(push?.payload.title, "New message from Bo");
    await api.unsubscribe(endpoint);
  });

  it("removes a subscription the push service answers 410 Gone for", async () => {
    const { endpoint } = await subscribed();
    service.script(endpoint, 410);
    await visitorWrites(["first"]);
    const [gone] = await service.waitFor(endpoint, 1);
    assert.equal(gone?.status, 410);
    await visitorWrites(["a new conversation, which would be pushed at once"]);
    await sleep(QUIET_MS);
    assert.equal(service.to(endpoint).length, 1, "nothing more was sent to the removed subscription");
  });

  it("retries a 503 with backoff and delivers exactly once", async () => {
    const { endpoint } = await subscribed();
    service.script(endpoint, 503);
    const conversationId = await visitorWrites(["please retry me"]);
    const [failed, delivered] = await service.waitFor(endpoint, 2);
    assert.equal(failed?.status, 503);
    assert.equal(delivered?.status, 201);
    assert.deepEqual(delivered?.payload, failed?.payload);
    assert.equal(delivered?.payload.conversation_id, conversationId);
    await sleep(QUIET_MS);
    assert.equal(service.delivered(endpoint).length, 1);
    assert.equal(service.to(endpoint).length, 2);
    await api.unsubscribe(endpoint);
  });

  it("refuses endpoints that are not a push service's, so the server cannot be aimed inside", async () => {
    const { body } = service.subscribe();
    const port = new URL(service.origin).port;
    for (const endpoint of [
      "https://127.0.0.1/push/x",
      `https://localhost:${port}/push/x`,
      "https://169.254.169.254/latest/meta-data/",
      "https://10.0.0.1/x",
      "https://[::1]/x",
      `http://127.0.0.1:${port}/push/x`,
      "http://fcm.googleapis.com/fcm/send/x",
      "https://fcm.googleapis.com:8443/fcm/send/x",
      "https://fcm.googleapis.com.evil.example/fcm/send/x",
      "https://user:pw@fcm.googleapis.com/fcm/send/x",
      // Read as Apple's by URL, but sent to 127.0.0.1 by web-push's url.parse.
      "https://127.0.0.1%2epush.apple.com/push/x",
      `https://127.0.0.1%2e:${port}/push/x`,
      "https://fcm.googleapis.com\\@127.0.0.1/x",
      "https://FCM.googleapis.com/fcm/send/x",
      "https://web.push.apple.com./x",
      "https://2130706433/x",
      "https://googleapis.com/x",
      "file:///etc/passwd",
      "not a url",
    ]) {
      const response = await api.subscribe({ ...body, endpoint });
      assert.equal(response.status, 400, endpoint);
    }
    for (const endpoint of [
      "https://fcm.googleapis.com/fcm/send/abc:def",
      "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
      "https://web.push.apple.com/QGuQyavXutnMH",
      "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA",
    ]) {
      assert.equal((await api.subscribe({ ...body, endpoint })).status, 201, endpoint);
      await api.unsubscribe(endpoint);
    }
    const badKey = await api.subscribe({ ...body, p256dh: Buffer.alloc(65, 4).toString("base64url") });
    assert.equal(badKey.status, 400, "a key that is not a curve point");
    assert.equal((await api.subscribe({ ...body, auth: "c2hvcnQ" })).status, 400, "a short auth secret");
  });
});
