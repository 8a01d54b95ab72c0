/**
 * Agents' alert emails (protocol §16), on a real store with a clock the test moves: visitor
 * messages wake one job per agent, the job sends one email listing every waiting conversation
 * (to a real SMTP server), and nothing goes to an agent who has the inbox open or a push
 * subscription; `within_hours` waits for the site's hours.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import { pino } from "pino";
import { LocalPresence } from "../../src/chat/presence.js";
import { SiteTeams } from "../../src/chat/siteTeams.js";
import { toWireMessage } from "../../src/chat/toWire.js";
import { AgentEmailAlerts } from "../../src/email/agentAlerts.js";
import { deliverEmailHandler } from "../../src/email/deliverJob.js";
import { AGENT_ALERT, DELIVER_EMAIL } from "../../src/email/jobKinds.js";
import { StoreEmailOutbox } from "../../src/email/outbox.js";
import { SmtpSender } from "../../src/email/smtpSender.js";
import type { JobHandler } from "../../src/jobs/job.js";
import { StoreJobQueue } from "../../src/jobs/queue.js";
import { openStore } from "../../src/store/openStore.js";
import type { Store, StoredAgent, StoredConversation } from "../../src/store/store.js";
import { POSTGRES_SKIP, postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { startSmtpServer, type TestSmtpServer } from "../support/smtpServer.js";

const MINUTE = 60_000;
const PUBLIC_URL = "https://chat.acme.test";
const root = mkdtempSync(join(tmpdir(), "parley-alerts-"));
after(() => rmSync(root, { recursive: true, force: true }));

for (const engine of ["sqlite", "postgres"] as const) {
  const skip = engine === "postgres" && !process.env.TEST_DATABASE_URL ? POSTGRES_SKIP : false;
  describe(`agents' email alerts on ${engine}`, { skip }, () => {
    let store: Store;
    let schema: PostgresSchema | undefined;
    let smtp: TestSmtpServer;
    let now: Date;
    let presence: LocalPresence;
    let alerts: AgentEmailAlerts;
    let handlers: Map<string, JobHandler>;
    let agent: StoredAgent;
    let sender: SmtpSender;
    let count = 0;

    beforeEach(async () => {
      schema = engine === "postgres" ? await postgresSchema() : undefined;
      store = await openStore({ storageDir: join(root, `s${++count}`), databaseUrl: schema?.url });
      await store.migrate();
      smtp = await startSmtpServer();
      // A Monday, 10:00 UTC.
      now = new Date("2026-03-02T10:00:00.000Z");
      const clock = () => now;
      const logger = pino({ level: "silent" });
      presence = new LocalPresence();
      const queue = new StoreJobQueue(store, clock);
      const outbox = new StoreEmailOutbox({ store, queue, fromAddress: "help@acme.test", now: clock });
      alerts = new AgentEmailAlerts({
        store,
        queue,
        outbox,
        presence,
        teams: new SiteTeams(store),
        publicUrl: PUBLIC_URL,
        logger,
        now: clock,
      });
      sender = new SmtpSender(smtp.url, "Acme Help <help@acme.test>");
      handlers = new Map([
        [AGENT_ALERT, alerts.handler()],
        [DELIVER_EMAIL, deliverEmailHandler({ store, sender, retryScheduleMs: [1000], logger, now: clock })],
      ]);
      agent = await store.createAgent({
        username: "ada",
        name: "Ada",
        role: "agent",
        passwordHash: "x",
        at: now.toISOString(),
      });
      await store.updateAgentEmailSettings(agent.id, {
        email: "ada@example.com",
        emailAlerts: "always",
        emailAlertAfterMinutes: 10,
      });
    });

    afterEach(async () => {
      sender.close();
      await smtp.stop();
      await store.close();
      await schema?.drop();
    });

    const advance = (minutes: number) => {
      now = new Date(now.getTime() + minutes * MINUTE);
    };

    /** A visitor's message (a new conversation when no `conversation`), told to the alerts as chat does. */
    async function visitorWrites(content: string, conversation?: StoredConversation, siteId = 1) {
      const at = now.toISOString();
      const written =
        conversation === undefined
          ? await store.appendFirstMessage({
              conversation: { token: `visitor-${randomUUID()}`, visitorName: null, createdIp: null, siteId },
              sender: "visitor",
              content,
              clientId: null,
              agentId: null,
              agentName: null,
              at,
            })
          : {
              ...(await store.appendMessage({
                conversationId: conversation.id,
                sender: "visitor",
                content,
                clientId: null,
                agentId: null,
                agentName: null,
                at,
              })),
              conversation,
            };
      await alerts.take({
        type: "message.created",
        conversation: written.conversation,
        message: toWireMessage(written.message),
      });
      return written.conversation;
    }

    /** What the worker would do now: every due job, run and finished, until none is due. */
    async function runDueJobs(): Promise<string[]> {
      const ran: string[] = [];
      for (;;) {
        const job = await store.claimJob({
          now: now.toISOString(),
          leaseToken: randomUUID(),
          leaseUntil: new Date(now.getTime() + MINUTE).toISOString(),
        });
        if (job === undefined) return ran;
        const handler = handlers.get(job.kind);
        assert.ok(handler !== undefined, job.kind);
        const outcome = await handler.run(job);
        ran.push(`${job.kind}:${outcome.kind}`);
        if (outcome.kind === "done") await store.completeJob(job.id, job.leaseToken);
        else if (outcome.kind === "postpone")
          await store.rescheduleJob(job.id, job.leaseToken, { runAt: outcome.until.toISOString() });
        else
          await store.rescheduleJob(job.id, job.leaseToken, {
            runAt: now.toISOString(),
            error: outcome.error,
          });
      }
    }

    const alertJobs = async () => (await store.listJobs()).filter((job) => job.kind === AGENT_ALERT);

    it("batches: visitor messages in two conversations make one email listing both, once", async () => {
      const first = await visitorWrites("Hello, is anyone there?");
      advance(2);
      const second = await visitorWrites("<b>Price</b> of the blue plan?");
      advance(1);
      await visitorWrites("Still here", first);
      assert.equal((await alertJobs()).length, 1, "one job for the agent, however many messages");

      advance(5);
      assert.deepEqual(await runDueJobs(), [], "nothing is due before the agent's 10 minutes");
      advance(3); // 10:11: the first conversation has waited 11 minutes, the second 9.
      assert.deepEqual(await runDueJobs(), [`${AGENT_ALERT}:done`, `${DELIVER_EMAIL}:done`]);
      const [mail] = await smtp.waitFor(1);
      assert.ok(mail !== undefined);
      assert.equal((Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address, "ada@example.com");
      assert.match(mail.subject ?? "", /^2 visitors are waiting on /);
      for (const conversation of [first, second]) {
        assert.ok(
          mail.text?.includes(`${PUBLIC_URL}/admin/chats/${conversation.id}`),
          "a link to each in the inbox",
        );
        assert.ok(String(mail.html).includes(`href="${PUBLIC_URL}/admin/chats/${conversation.id}"`));
      }
      assert.match(mail.text ?? "", /Still here/, "the latest visitor message");
      assert.match(String(mail.html), /&lt;b&gt;Price&lt;\/b&gt;/, "visitors' text is escaped, never HTML");
      assert.ok(!String(mail.html).includes("<b>Price"));

      advance(5);
      assert.deepEqual(await runDueJobs(), [], "covered: the second conversation is not sent again");
      const third = await visitorWrites("Another question");
      advance(11);
      await runDueJobs();
      const mails = await smtp.waitFor(2);
      assert.match(mails[1]?.subject ?? "", /^A visitor is waiting on /);
      assert.ok(mails[1]?.text?.includes(`/admin/chats/${third.id}`));
      assert.ok(!mails[1]?.text?.includes(`/admin/chats/${first.id}`), "only what came since");
    });

    it("sends nothing for a conversation an agent answered in time", async () => {
      const conversation = await visitorWrites("Hi");
      advance(3);
      await store.appendMessage({
        conversationId: conversation.id,
        sender: "admin",
        content: "Hello!",
        clientId: null,
        agentId: agent.id,
        agentName: "Ada",
        at: now.toISOString(),
      });
      advance(10);
      assert.deepEqual(await runDueJobs(), [`${AGENT_ALERT}:done`]);
      assert.equal(smtp.messages.length, 0);
    });

    it("sends nothing to an agent with the inbox open or a push subscription", async () => {
      await presence.agentConnected(agent.id);
      await visitorWrites("Hi");
      advance(11);
      assert.deepEqual(await runDueJobs(), [`${AGENT_ALERT}:done`]);
      await presence.agentDisconnected(agent.id);

      await store.savePushSubscription({
        agentId: agent.id,
        endpoint: "https://push.example/1",
        p256dh: "key",
        auth: "auth",
        at: now.toISOString(),
      });
      await visitorWrites("Hello again");
      advance(11);
      assert.deepEqual(await runDueJobs(), [`${AGENT_ALERT}:done`]);
      assert.equal(smtp.messages.length, 0);
      assert.deepEqual(await store.countEmails("1970-01-01T00:00:00.000Z"), { queued: 0, failedSince: 0 });
    });

    it("does not wake agents whose alerts are off or who have no email", async () => {
      await store.updateAgentEmailSettings(agent.id, {
        email: "ada@example.com",
        emailAlerts: "off",
        emailAlertAfterMinutes: 10,
      });
      await visitorWrites("Hi");
      assert.equal((await alertJobs()).length, 0);
      await store.updateAgentEmailSettings(agent.id, {
        email: null,
        emailAlerts: "always",
        emailAlertAfterMinutes: 10,
      });
      await visitorWrites("Hi");
      assert.equal((await alertJobs()).length, 0);
    });

    it("within hours: waits until the site opens", async () => {
      await store.updateAgentEmailSettings(agent.id, {
        email: "ada@example.com",
        emailAlerts: "within_hours",
        emailAlertAfterMinutes: 10,
      });
      const [defaultSite] = await store.listSites();
      assert.ok(defaultSite !== undefined);
      // Open 14:00–18:00 UTC on weekdays: at 10:11 on a Monday it is closed.
      const hours = { open: "14:00", close: "18:00" };
      await store.updateSite(defaultSite.id, {
        businessHours: {
          time_zone: "UTC",
          weekly: { mon: [hours], tue: [hours], wed: [hours], thu: [hours], fri: [hours] },
          closed_days: [],
        },
        at: now.toISOString(),
      });
      await visitorWrites("Hi");
      advance(11);
      assert.deepEqual(await runDueJobs(), [`${AGENT_ALERT}:postpone`]);
      const [job] = await alertJobs();
      assert.equal(job?.runAt, "2026-03-02T14:00:00.000Z", "postponed to the opening");
      now = new Date("2026-03-02T14:00:00.000Z");
      await runDueJobs();
      const [mail] = await smtp.waitFor(1);
      assert.match(mail?.subject ?? "", /^A visitor is waiting on /);
    });
  });
}
