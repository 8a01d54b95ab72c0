/**
 * Webhook deliveries end to end (protocol §13): a real server, a real HTTPS receiver on loopback
 * trusted through WEBHOOK_CA_FILE, a visitor and an owner doing real things. On SQLite, and on
 * Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { WEBHOOK_EVENT_TYPES, type WebhookEvent } from "@parley/protocol";
import { browserSubscription } from "../push/support/browserSubscription.js";
import { ENGINES, Owner, POSTGRES_SKIP, Visitor, startTestServer, webhookEnv } from "./harness.js";
import { Receiver, eventually, verifySignature } from "./receiver.js";

const ALL_EVENTS = WEBHOOK_EVENT_TYPES.filter((type) => type !== "contact.identified");

for (const engine of ENGINES) {
  describe(`webhook deliveries (${engine.name})`, () => {
    /** A server on a fresh database, a receiver, and cleanup whatever happens. */
    const withSetup = async (
      env: Record<string, string>,
      body: (parts: { env: Record<string, string>; receiver: Receiver }) => Promise<void>,
    ) => {
      const database = await engine.database();
      if (database === undefined) return;
      const receiver = await Receiver.start();
      try {
        await body({ env: webhookEnv({ ...database.env, ...env }), receiver });
      } finally {
        await receiver.close();
        await database.drop();
      }
    };
    const skip = engine.name === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : false;

    it("signs each event so the receiver's recomputed HMAC matches, for every event type", { skip }, () =>
      withSetup({}, async ({ env, receiver }) => {
        const server = await startTestServer(env);
        try {
          const owner = await Owner.of(server);
          const { secret } = await owner.createWebhook({ url: receiver.url, events: ALL_EVENTS });
          assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);

          const visitor = await Visitor.connect(server.url);
          const messageId = await visitor.say("Hello, is anyone there?");
          const started = await eventually(
            () => receiver.accepted<WebhookEvent>()[1],
            "the first two events",
          );
          const conversationId = (started.data as { conversation_id: number }).conversation_id;
          await owner.call("POST", `/conversations/${conversationId}/messages`, { content: "Yes, hi!" });
          await owner.call("PUT", `/conversations/${conversationId}/assignee`, { agent_id: 1 });
          await owner.call("POST", `/conversations/${conversationId}/close`, {});
          const events = await eventually(() => {
            const accepted = receiver.accepted<WebhookEvent>();
            return accepted.length >= 5 && accepted;
          }, "five events");
          visitor.close();

          assert.deepEqual(
            events.map((event) => event.type),
            [
              "conversation.created",
              "message.created",
              "message.created",
              "conversation.assigned",
              "conversation.status_changed",
            ],
          );
          for (const [index, request] of receiver.received.entries()) {
            const event = events[index]!;
            assert.equal(request.headers["parley-event-id"], event.id);
            assert.equal(request.headers["parley-event-type"], event.type);
            assert.equal(request.headers["content-type"], "application/json");
            const header = String(request.headers["parley-signature"]);
            assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
            assert.ok(verifySignature(secret, header, request.body), `event ${index} verifies`);
            assert.ok(!verifySignature("whsec_other", header, request.body), "another secret does not");
            assert.match(event.id, /^[0-9a-f-]{36}$/);
            assert.equal(event.site_id, 1);
          }
          const [created, visitorSaid, agentSaid, assigned, closed] = events as [
            Extract<WebhookEvent, { type: "conversation.created" }>,
            Extract<WebhookEvent, { type: "message.created" }>,
            Extract<WebhookEvent, { type: "message.created" }>,
            Extract<WebhookEvent, { type: "conversation.assigned" }>,
            Extract<WebhookEvent, { type: "conversation.status_changed" }>,
          ];
          assert.equal(created.data.conversation.id, conversationId);
          assert.equal(created.data.conversation.session_token, visitor.token);
          assert.equal(visitorSaid.data.sender, "visitor");
          assert.equal(visitorSaid.data.message.id, messageId);
          assert.equal(visitorSaid.data.message.content, "Hello, is anyone there?");
          assert.equal(visitorSaid.data.conversation.latest_message?.id, messageId);
          assert.equal(agentSaid.data.sender, "agent");
          assert.equal(agentSaid.data.message.content, "Yes, hi!");
          assert.equal(agentSaid.data.message.agent?.id, 1);
          assert.equal(assigned.data.previous_assignee_id, null);
          assert.equal(assigned.data.conversation.assignee_id, 1);
          assert.equal(closed.data.previous_status, "open");
          assert.equal(closed.data.conversation.status, "closed");
        } finally {
          await server.dispose();
        }
      }),
    );

    it(
      "retries after 500s and after a timeout, with one event id the receiver de-duplicates on",
      { skip },
      () =>
        withSetup({ WEBHOOK_TIMEOUT_MS: "300" }, async ({ env, receiver }) => {
          // 500, no answer, 500, then accepted.
          receiver.answer = (index) => (index === 0 || index === 2 ? 500 : index === 1 ? "hang" : 200);
          const server = await startTestServer(env);
          try {
            const owner = await Owner.of(server);
            const { id } = await owner.createWebhook({ url: receiver.url, events: ["conversation.created"] });
            const visitor = await Visitor.connect(server.url);
            await visitor.say("retry me");
            await eventually(() => receiver.accepted().length === 1, "the accepted delivery");
            visitor.close();

            assert.deepEqual(
              receiver.received.map((request) => request.answer),
              [500, "hang", 500, 200],
            );
            const ids = new Set(receiver.received.map((request) => request.headers["parley-event-id"]));
            assert.equal(ids.size, 1, "every attempt carries the same event id");
            const bodies = new Set(receiver.received.map((request) => request.body));
            assert.equal(bodies.size, 1, "every attempt carries the same body");

            const [delivery] = await eventually(async () => {
              const log = await owner.deliveries(id);
              return log[0]?.status === "delivered" && log;
            }, "the log to say delivered");
            assert.equal(delivery!.attempts, 4);
            assert.equal(delivery!.response_status, 200);
            assert.equal(typeof delivery!.duration_ms, "number");
            assert.equal(delivery!.event_id, [...ids][0]);
            const { body: hook } = await owner.call("GET", `/sites/1/webhooks/${id}`);
            assert.equal((hook.webhook as { failing_since: unknown }).failing_since, null);
          } finally {
            await server.dispose();
          }
        }),
    );

    it("keeps one conversation's events in order while an earlier one is retried", { skip }, () =>
      withSetup({ WEBHOOK_RETRY_SCHEDULE: "0.5,0.5,0.5" }, async ({ env, receiver }) => {
        // The first message's event fails twice; the later ones must wait for it.
        let firstMessageFailures = 0;
        receiver.answer = (_index, body) => {
          const event = JSON.parse(body) as WebhookEvent;
          if (
            event.type === "message.created" &&
            event.data.message.content === "one" &&
            firstMessageFailures < 2
          ) {
            firstMessageFailures += 1;
            return 503;
          }
          return 200;
        };
        const server = await startTestServer(env);
        try {
          const owner = await Owner.of(server);
          await owner.createWebhook({ url: receiver.url, events: ["message.created"] });
          const visitor = await Visitor.connect(server.url);
          const other = await Visitor.connect(server.url);
          await visitor.say("one");
          await visitor.say("two");
          await other.say("elsewhere");
          await visitor.say("three");
          await eventually(() => receiver.accepted().length === 4, "four accepted events");
          visitor.close();
          other.close();

          const contents = (events: WebhookEvent[]) =>
            events
              .filter(
                (event) =>
                  event.type === "message.created" && event.data.conversation.session_token === visitor.token,
              )
              .map((event) => (event.type === "message.created" ? event.data.message.content : ""));
          assert.deepEqual(contents(receiver.accepted<WebhookEvent>()), ["one", "two", "three"]);
          // Nothing of that conversation was even tried out of order.
          const tried = receiver.received.map((request) => JSON.parse(request.body) as WebhookEvent);
          assert.deepEqual(contents(tried), ["one", "one", "one", "two", "three"]);
        } finally {
          await server.dispose();
        }
      }),
    );

    it("delivers after a restart in the middle of the retries (the job is durable)", { skip }, () =>
      withSetup({ WEBHOOK_RETRY_SCHEDULE: "2,2,2" }, async ({ env, receiver }) => {
        receiver.answer = () => 500;
        const first = await startTestServer(env);
        let second: typeof first | undefined;
        try {
          const owner = await Owner.of(first);
          const { id } = await owner.createWebhook({ url: receiver.url, events: ["conversation.created"] });
          const visitor = await Visitor.connect(first.url);
          await visitor.say("before the restart");
          await eventually(() => receiver.received.length === 1, "the first, failed attempt");
          visitor.close();
          await first.close();

          receiver.answer = () => 200;
          second = await startTestServer(env, first.storageDir);
          await eventually(() => receiver.accepted().length === 1, "the delivery after the restart");
          assert.equal(receiver.received.length, 2);
          assert.equal(
            receiver.received[1]!.headers["parley-event-id"],
            receiver.received[0]!.headers["parley-event-id"],
          );
          const log = await eventually(async () => {
            const rows = await (await Owner.of(second!)).deliveries(id);
            return rows[0]?.status === "delivered" && rows;
          }, "the log");
          assert.equal(log[0]!.attempts, 2);
        } finally {
          await (second ?? first).dispose();
        }
      }),
    );

    it("disables an endpoint failing longer than the window and tells the owners by push", { skip }, () =>
      withSetup(
        {
          WEBHOOK_DISABLE_AFTER_SECONDS: "1",
          WEBHOOK_RETRY_SCHEDULE: "0.4,0.4,0.4,0.4,0.4,0.4,0.4,0.4",
          PUSH_ENDPOINT_ORIGINS: "https://127.0.0.1:9",
        },
        async ({ env, receiver }) => {
          receiver.answer = () => 500;
          const server = await startTestServer(env);
          try {
            const owner = await Owner.of(server);
            const subscription = browserSubscription("https://127.0.0.1:9/push/owner");
            const subscribed = await owner.call("POST", "/push_subscriptions", subscription.body);
            assert.ok(subscribed.status < 300, JSON.stringify(subscribed.body));
            const { id } = await owner.createWebhook({ url: receiver.url, events: ["message.created"] });
            const visitor = await Visitor.connect(server.url);
            await visitor.say("into the void");
            const hook = await eventually(async () => {
              const { body } = await owner.call("GET", `/sites/1/webhooks/${id}`);
              const webhook = body.webhook as { enabled: boolean; disabled_reason: string | null };
              return !webhook.enabled && webhook;
            }, "the webhook to be disabled");
            assert.match(hook.disabled_reason ?? "", /failing since .*receiver answered 500/);
            const tries = receiver.received.length;
            assert.ok(tries >= 2, `tried ${tries} times`);

            // The pending delivery is given up, and later events are not sent.
            await visitor.say("still there?");
            await eventually(async () => {
              const log = await owner.deliveries(id);
              return log.every((row) => row.status === "failed") && log;
            }, "every delivery given up");

            const jobs = await server.store.listJobs();
            const told = jobs.find(
              (job) => job.kind === "push.deliver" && job.payload.includes("A webhook was disabled"),
            );
            assert.ok(told !== undefined, "a push to the owner is on its way");
            assert.equal(receiver.received.length, tries, "nothing more reached the receiver");

            // An owner turns it on again: deliveries flow.
            receiver.answer = () => 200;
            const enabled = await owner.call("PATCH", `/sites/1/webhooks/${id}`, { enabled: true });
            assert.equal((enabled.body.webhook as { enabled: boolean }).enabled, true);
            await visitor.say("back");
            const back = await eventually(
              () => receiver.accepted<WebhookEvent>()[0],
              "the event after enabling",
            );
            assert.equal(back.type === "message.created" && back.data.message.content, "back");
            visitor.close();
          } finally {
            await server.dispose();
          }
        },
      ),
    );

    it("posts Slack's incoming-webhook shape, unsigned, for new conversations and messages", { skip }, () =>
      withSetup({}, async ({ env, receiver }) => {
        const server = await startTestServer(env);
        try {
          const owner = await Owner.of(server);
          const refused = await owner.call("POST", "/sites/1/webhooks", {
            url: receiver.url,
            format: "slack",
            events: ["conversation.status_changed"],
          });
          assert.equal(refused.status, 400);
          await owner.createWebhook({
            url: receiver.url,
            format: "slack",
            events: ["conversation.created", "message.created"],
          });
          const visitor = await Visitor.connect(server.url);
          await visitor.say("Price of <b>tea</b> & cakes?");
          const [created, said] = await eventually(() => {
            const accepted = receiver.accepted<{ text: string; blocks: unknown[] }>();
            return accepted.length === 2 && accepted;
          }, "two Slack messages");
          visitor.close();
          assert.match(created!.text, /^New conversation #\d+ from A visitor$/);
          assert.match(
            said!.text,
            /^A visitor in conversation #\d+: Price of &lt;b&gt;tea&lt;\/b&gt; &amp; cakes\?$/,
          );
          assert.deepEqual(said!.blocks, [{ type: "section", text: { type: "mrkdwn", text: said!.text } }]);
          for (const request of receiver.received) {
            assert.equal(request.headers["parley-signature"], undefined);
            assert.deepEqual(Object.keys(JSON.parse(request.body) as object).sort(), ["blocks", "text"]);
          }
        } finally {
          await server.dispose();
        }
      }),
    );
  });
}
