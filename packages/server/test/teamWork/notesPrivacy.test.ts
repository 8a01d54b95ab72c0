/**
 * Private notes never reach a visitor (protocol §15), end to end: the server runs as its own
 * process (web push trusts the test CA only through NODE_EXTRA_CA_CERTS), a real HTTPS webhook
 * receiver takes every event type, a push service on loopback decrypts what reaches the
 * mentioned agent, and the visitor is the stock @rails/actioncable consumer. A note holding HTML
 * and a mention is added over the AdminChannel and over REST while the visitor is live; then
 * every path a visitor reads is read again: the note's marker is in none of them. The mentioned
 * agent hears it live and is pushed. On SQLite, and on Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { WEBHOOK_EVENT_TYPES, type Note } from "@parley/protocol";
import { startChildServer } from "../push/support/childServer.js";
import { FakePushService } from "../push/support/fakePushService.js";
import { cableFrames, createConsumer, RecordingSubscription } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import { login, visitorToken, WIDGET_ORIGIN } from "../support/testServer.js";
import { eventually, Receiver, testCertificate } from "../webhooks/receiver.js";

const MARKER = "ZEBRA-7741";
const NOTE = `<b>Refund</b> <script>alert(1)</script> ${MARKER} @bob please check`;
const REST_NOTE = `Second ${MARKER}-rest, <img src=x onerror=alert(1)>`;

for (const engine of ["sqlite", "postgres"] as const) {
  const skip = engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : false;

  describe(`private notes stay private (${engine})`, () => {
    it(
      "reach the mentioned agent live and by push, and no visitor path, webhook or count",
      { skip },
      async () => {
        const dir = mkdtempSync(join(tmpdir(), "parley-notes-"));
        const schema = engine === "postgres" ? await postgresSchema() : undefined;
        const certificate = testCertificate();
        const service = await FakePushService.start(certificate);
        const receiver = await Receiver.start();
        const consumers: Consumer[] = [];
        const server = await startChildServer({
          STORAGE_DIR: join(dir, "storage"),
          NODE_EXTRA_CA_CERTS: certificate.caFile,
          PUSH_ENDPOINT_ORIGINS: service.origin,
          WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
          WEBHOOK_CA_FILE: certificate.caFile,
          RATE_LIMIT_PER_MINUTE: "1000",
          ...(schema === undefined ? {} : { DATABASE_URL: schema.url }),
        });
        try {
          const ownerCookie = await login(server.url);
          const call = async (method: string, path: string, json?: unknown, cookie = ownerCookie) => {
            const response = await fetch(`${server.url}${path}`, {
              method,
              headers: { cookie, ...(json === undefined ? {} : { "content-type": "application/json" }) },
              ...(json === undefined ? {} : { body: JSON.stringify(json) }),
            });
            return { status: response.status, body: (await response.json()) as Record<string, unknown> };
          };
          const ownerId = ((await call("GET", "/auth/me")).body.agent as { id: number }).id;
          service.vapidPublicKey = (
            (await call("GET", "/push/vapid_public_key")).body as { public_key: string }
          ).public_key;

          // Bob, an agent of every site (the default site has no team list), subscribed to push.
          const bob = { username: "bob", password: "bob's long password" };
          const created = await call("POST", "/agents", { ...bob, name: "Bob" });
          assert.equal(created.status, 201);
          const bobId = (created.body.agent as { id: number }).id;
          const bobCookie = await login(server.url, bob);
          const bobPush = service.subscribe();
          assert.equal((await call("POST", "/push_subscriptions", bobPush.body, bobCookie)).status, 201);
          // The owner subscribes too: not mentioned, they are not pushed about the note.
          const ownerPush = service.subscribe();
          assert.equal((await call("POST", "/push_subscriptions", ownerPush.body)).status, 201);

          const hook = await call("POST", "/sites/1/webhooks", {
            url: receiver.url,
            events: WEBHOOK_EVENT_TYPES,
          });
          assert.equal(hook.status, 201);

          // The visitor, live, through the stock client.
          const token = visitorToken();
          const visitorConsumer = createConsumer(server.url, { token });
          consumers.push(visitorConsumer);
          const visitor = new RecordingSubscription(visitorConsumer, { channel: "VisitorChannel" });
          await visitor.until(() => visitor.confirmed);
          let said = 0;
          const say = async (content: string) => {
            const clientId = `v${++said}`;
            visitor.perform("send_message", { content, client_id: clientId });
            const echo = await visitor.next(
              (m) => m.type === "message" && (m.message as { client_id?: string }).client_id === clientId,
            );
            return (echo.message as { id: number }).id;
          };
          await say("Hello, I was charged twice");
          const list = await call("GET", "/conversations?limit=1");
          const conversationId = (list.body.conversations as { id: number }[])[0]!.id;

          // Bob and the owner watch the inbox.
          const bobConsumer = createConsumer(server.url, { cookie: bobCookie });
          const ownerConsumer = createConsumer(server.url, { cookie: ownerCookie });
          consumers.push(bobConsumer, ownerConsumer);
          const bobInbox = new RecordingSubscription(bobConsumer, { channel: "AdminChannel" });
          const ownerInbox = new RecordingSubscription(ownerConsumer, { channel: "AdminChannel" });
          await bobInbox.until(() => bobInbox.confirmed);
          await ownerInbox.until(() => ownerInbox.confirmed);
          await ownerInbox.next((m) => m.type === "conversations");

          // A note over the AdminChannel, its retry, and one over REST, while the visitor is live.
          ownerInbox.perform("add_note", {
            conversation_id: conversationId,
            content: `  ${NOTE}\r\n`,
            client_id: "n1",
          });
          const live = (await bobInbox.next((m) => m.type === "note_created")).note as Note;
          assert.equal(live.content, NOTE, "plain text as written, trimmed, HTML kept as text");
          assert.deepEqual(live.mention_ids, [bobId]);
          assert.equal(live.conversation_id, conversationId);
          assert.equal(live.agent.id, ownerId);
          assert.equal(live.client_id, "n1");
          ownerInbox.perform("add_note", { conversation_id: conversationId, content: NOTE, client_id: "n1" });
          await ownerInbox.until(() => ownerInbox.ofType("note_created").length === 2);
          assert.deepEqual(
            ownerInbox.ofType("note_created").map((m) => (m.note as Note).id),
            [live.id, live.id],
            "a retried client_id answers the stored note",
          );
          const viaRest = await call("POST", `/conversations/${conversationId}/notes`, {
            content: REST_NOTE,
          });
          assert.equal(viaRest.status, 201);
          assert.deepEqual((viaRest.body.note as Note).mention_ids, []);
          await bobInbox.until(() => bobInbox.ofType("note_created").length === 3);
          // The visitor writes on: their stream went on past the notes.
          await say("Any news?");

          const notes = await call("GET", `/conversations/${conversationId}/notes`, undefined, bobCookie);
          assert.deepEqual(
            (notes.body.notes as Note[]).map((note) => note.content),
            [NOTE, REST_NOTE],
          );
          ownerInbox.perform("get_notes", { conversation_id: conversationId });
          const answered = await ownerInbox.next((m) => m.type === "notes");
          assert.equal((answered.notes as Note[]).length, 2);

          // The mentioned agent is pushed ("X mentioned you"); the author is not.
          // (Bob was pushed about the visitor's first message before he opened the inbox.)
          const push = await eventually(
            () =>
              service
                .to(bobPush.endpoint)
                .find((each) => String(each.payload.body).includes("mentioned you")),
            "the mention's push",
          );
          assert.equal(push?.status, 201);
          assert.match(String(push?.payload.body), /mentioned you: <b>Refund<\/b>/);
          assert.equal(push?.payload.conversation_id, conversationId);
          assert.deepEqual(service.problems, []);

          // Visitor paths, read again: a new subscription without and with `since`.
          const again = createConsumer(server.url, { token });
          const caughtUp = createConsumer(server.url, { token });
          consumers.push(again, caughtUp);
          const plain = new RecordingSubscription(again, { channel: "VisitorChannel" });
          const since = new RecordingSubscription(caughtUp, { channel: "VisitorChannel", since: 0 });
          const plainHistory = await plain.next((m) => m.type === "history");
          await since.next((m) => m.type === "history");
          assert.equal((plainHistory.messages as unknown[]).length, 2);
          // What a visitor's page can fetch.
          const siteKey = ((await call("GET", "/sites/1")).body.site as { key: string }).key;
          const pages = await Promise.all(
            ["/widget/config", `/widget/config?site=${siteKey}`, "/"].map(async (path) => {
              const response = await fetch(`${server.url}${path}`, { headers: { origin: WIDGET_ORIGIN } });
              return `${path} ${response.status} ${await response.text()}`;
            }),
          );
          // Webhooks: the visitor's two messages were delivered (and nothing about notes).
          const events = await eventually(() => {
            const accepted = receiver.accepted<{ type: string }>();
            return accepted.filter((event) => event.type === "message.created").length >= 2 && accepted;
          }, "both messages' webhooks");
          assert.deepEqual(
            events.map((event) => event.type),
            ["conversation.created", "message.created", "message.created"],
          );
          const conversation = await call("GET", `/conversations/${conversationId}`);
          const messages = await call("GET", `/conversations/${conversationId}/messages`);

          const framesAndHooks = JSON.stringify([
            cableFrames(visitorConsumer),
            cableFrames(again),
            cableFrames(caughtUp),
            receiver.received.map((request) => request.body),
          ]);
          assert.ok(framesAndHooks.includes("Any news?"), "the reads did see the visitor's messages");
          assert.ok(!framesAndHooks.includes(MARKER), "no visitor frame or webhook carries a note");
          assert.ok(!/note/i.test(framesAndHooks), "nor any word of one (note_created, notes)");
          assert.ok(
            pages.every((page) => / 200 /.test(page)),
            pages.map((page) => page.slice(0, 80)).join("\n"),
          );
          assert.ok(!pages.join("\n").includes(MARKER), "no page a visitor fetches carries a note");
          assert.equal((conversation.body.conversation as { unread_count: number }).unread_count, 2);
          assert.ok(
            !JSON.stringify(conversation.body).includes(MARKER),
            "the conversation's preview is no note",
          );
          assert.deepEqual(
            (messages.body.messages as { content: string }[]).map((message) => message.content),
            ["Hello, I was charged twice", "Any news?"],
          );
          assert.deepEqual(
            service.to(ownerPush.endpoint).filter((p) => String(p.payload.body).includes(MARKER)),
            [],
          );

          // Deleting the conversation deletes its notes.
          assert.equal((await call("DELETE", `/conversations/${conversationId}`)).status, 200);
          assert.equal((await call("GET", `/conversations/${conversationId}/notes`)).status, 404);
        } finally {
          for (const consumer of consumers) consumer.disconnect();
          await server.stop();
          await service.close();
          await receiver.close();
          await schema?.drop();
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
}
