/**
 * `contact.identified` (protocol §13): a visitor identified with a valid hash is told to the
 * site's webhooks that subscribed to it, once per token that becomes the verified contact; a
 * wrong hash, an unverified claim and a repeated identify tell nothing. A real server, a real
 * HTTPS receiver on loopback. On SQLite, and on Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import type { Contact, ContactDetailResponse, WebhookEvent } from "@parley/protocol";
import { visitorToken, WIDGET_ORIGIN } from "../support/testServer.js";
import { ENGINES, Owner, POSTGRES_SKIP, Visitor, startTestServer, webhookEnv } from "./harness.js";
import { Receiver, eventually, verifySignature } from "./receiver.js";

type Identified = Extract<WebhookEvent, { type: "contact.identified" }>;

/** What the site's back end computes for its user (protocol §12). */
function hashOf(secret: string, id: string): string {
  return createHmac("sha256", secret).update(id).digest("hex");
}

for (const engine of ENGINES) {
  describe(`contact.identified webhooks (${engine.name})`, () => {
    const skip = engine.name === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : false;

    it(
      "a valid identify sends the verified contact, signed; a wrong hash, a claim, a repeat and other webhooks get nothing",
      { skip },
      async () => {
        const database = await engine.database();
        if (database === undefined) return;
        const receiver = await Receiver.start();
        const other = await Receiver.start();
        const server = await startTestServer(webhookEnv(database.env));
        try {
          const owner = await Owner.of(server);
          const subscribed = await owner.createWebhook({ url: receiver.url, events: ["contact.identified"] });
          const unsubscribed = await owner.createWebhook({
            url: other.url,
            events: ["conversation.created", "message.created"],
          });
          const key = (await owner.call("GET", "/sites/1/identity")).body.secret as string;
          const identify = async (json: Record<string, unknown>) => {
            const response = await fetch(`${server.url}/widget/identify`, {
              method: "POST",
              headers: { origin: WIDGET_ORIGIN, "content-type": "application/json" },
              body: JSON.stringify(json),
            });
            return { status: response.status, body: (await response.json()) as Record<string, unknown> };
          };

          const laptop = visitorToken();
          const wrong = await identify({ token: laptop, id: "user-42", hash: hashOf(key, "user-41") });
          assert.equal(wrong.status, 403);
          const claimed = await identify({ token: laptop, id: "user-42", name: "Grace Hopper" });
          assert.deepEqual(claimed.body, { token: laptop, verified: false });
          const valid = { token: laptop, id: "user-42", hash: hashOf(key, "user-42") };
          assert.deepEqual((await identify(valid)).body, { token: laptop, verified: true });
          // The same token again changes nothing: no event.
          assert.deepEqual((await identify(valid)).body, { token: laptop, verified: true });

          // The laptop starts a conversation; then a second browser of the same user joins them.
          const visitor = await Visitor.connect(server.url, laptop);
          await visitor.say("hello from the laptop");
          visitor.close();
          const phone = visitorToken();
          const joined = await identify({ token: phone, id: "user-42", hash: hashOf(key, "user-42") });
          assert.deepEqual(joined.body, { token: laptop, verified: true });

          const events = await eventually(() => {
            const accepted = receiver.accepted<Identified>();
            return accepted.length >= 2 && accepted;
          }, "two contact.identified events");
          // The unsubscribed webhook's log is stored in the order chat told it: the phone's identify
          // came after the message, so its absence there is final.
          const otherLog = await eventually(async () => {
            const log = await owner.deliveries(unsubscribed.id);
            return log.length >= 2 && log;
          }, "the other webhook's two events");
          const ownLog = await owner.deliveries(subscribed.id);

          const [first, second] = events as [Identified, Identified];
          for (const [index, request] of receiver.received.entries()) {
            assert.equal(request.headers["parley-event-type"], "contact.identified");
            assert.equal(request.headers["parley-event-id"], events[index]!.id);
            assert.ok(
              verifySignature(subscribed.secret, String(request.headers["parley-signature"]), request.body),
            );
          }
          assert.equal(receiver.received.length, 2, "the wrong hash, the claim and the repeat sent nothing");
          assert.equal(ownLog.length, 2);
          assert.deepEqual(otherLog.map((delivery) => delivery.event_type).sort(), [
            "conversation.created",
            "message.created",
          ]);
          assert.equal(
            other.received.every((request) => request.headers["parley-event-type"] !== "contact.identified"),
            true,
          );

          assert.equal(first.type, "contact.identified");
          assert.equal(first.site_id, 1);
          assert.notEqual(first.id, second.id);
          const contact: Contact = first.data.contact;
          assert.equal(contact.verified, true);
          assert.equal(contact.external_id, "user-42");
          assert.equal(contact.name, "Grace Hopper");
          assert.equal(first.data.conversation_id, null, "the laptop had no conversation yet");

          const detail = (await owner.call("GET", `/contacts/${contact.id}`))
            .body as unknown as ContactDetailResponse;
          assert.deepEqual(second.data.contact, detail.contact, "the contact as GET /contacts/:id gives it");
          const conversationId = detail.conversations[0]?.id;
          assert.ok(conversationId !== undefined);
          assert.equal(second.data.conversation_id, conversationId, "the conversation the phone joins");
        } finally {
          await server.dispose();
          await receiver.close();
          await other.close();
          await database.drop();
        }
      },
    );
  });
}
