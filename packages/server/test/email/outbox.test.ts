/**
 * The outbox end to end (protocol §16): a real SMTP server receives what Parley sends. Both
 * parts, From, Message-ID; a conversation's later emails thread on its first; List-Unsubscribe
 * with RFC 8058's one-click; an SMTP outage only delays, and nothing goes twice. On SQLite, and
 * on Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ParsedMail } from "mailparser";
import type { OutgoingEmail } from "../../src/email/outgoing.js";
import { eventually, POSTGRES_SKIP, startEmailTestBed, type EmailTestBed } from "./harness.js";
import { workJobs } from "../support/jobs.js";

const header = (mail: ParsedMail, name: string): string | undefined =>
  mail.headerLines.find((line) => line.key === name.toLowerCase())?.line.replace(/^[^:]+:\s*/, "");

const plain = (subject: string, extra: Partial<OutgoingEmail> = {}): OutgoingEmail => ({
  kind: "test",
  to: "someone@example.com",
  subject,
  text: `${subject} as text`,
  html: `<p>${subject} as HTML</p>`,
  locale: "en",
  ...extra,
});

for (const engine of ["sqlite", "postgres"] as const) {
  describe(`email outbox on ${engine}`, () => {
    let bed: EmailTestBed | undefined;

    before(async () => {
      bed = await startEmailTestBed({ engine });
    });
    after(async () => {
      await bed?.dispose();
    });

    const the = (t: { skip(message: string): void }): EmailTestBed | undefined => {
      if (bed === undefined) t.skip(POSTGRES_SKIP);
      return bed;
    };

    it("sends the owner's test email: a text and an HTML part, From, Message-ID, in their language", async (t) => {
      const b = the(t);
      if (b === undefined) return;
      const sent = await b.call(
        "POST",
        "/settings/email/test",
        { to: "owner@example.com" },
        { "accept-language": "fr-FR,fr;q=0.9" },
      );
      assert.equal(sent.status, 202);
      assert.deepEqual(sent.body, { ok: true });
      const [mail] = await b.smtp.waitFor(1);
      assert.ok(mail !== undefined);
      assert.deepEqual(mail.from?.value, [{ address: "help@acme.test", name: "Acme Help" }]);
      assert.equal((Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address, "owner@example.com");
      assert.match(mail.messageId ?? "", /^<[0-9a-f]{32}@acme\.test>$/);
      assert.match(mail.subject ?? "", /^E-mail de test de /);
      assert.match(mail.text ?? "", /Parley a envoyé cet e-mail de test/);
      assert.match(String(mail.html), /<h1[^>]*>L’e-mail fonctionne<\/h1>/);
      assert.match(String(mail.html), /href="http:\/\/parley\.test\/chat\/admin\/"/);
      assert.equal(header(mail, "List-Unsubscribe"), undefined, "an owner's email has no unsubscribe");
      assert.equal(b.smtp.users[0], "parley", "SMTP_URL's credentials were used");

      const status = await eventually(
        "the outbox to empty",
        () => b.call("GET", "/settings/email"),
        (answer) => answer.body.queued === 0,
      );
      assert.deepEqual(status.body, {
        sending: true,
        receiving: false,
        from: "Acme Help <help@acme.test>",
        reply_to: null,
        last_fetch_at: null,
        last_fetch_error: null,
        queued: 0,
        failed_last_day: 0,
      });
    });

    it("refuses a test email to something that is not an address", async (t) => {
      const b = the(t);
      if (b === undefined) return;
      assert.equal((await b.call("POST", "/settings/email/test", { to: "not an address" })).status, 400);
      assert.equal((await b.call("POST", "/settings/email/test", {})).status, 400);
      assert.equal(
        (await b.call("POST", "/settings/email/test", { to: "x".repeat(250) + "@b.example" })).status,
        400,
      );
    });

    it("threads a conversation's emails on its first and offers one-click unsubscribe", async (t) => {
      const b = the(t);
      if (b === undefined) return;
      const start = b.smtp.messages.length;
      const { conversation, contact } = await b.conversationWithContact();
      const sending = b.server.email.sending();
      const forConversation = (subject: string) =>
        plain(subject, {
          kind: "visitor_replies",
          to: "vee@example.com",
          conversationId: conversation.id,
          siteId: 1,
          replyTo: sending.replyAddresses.forConversation(conversation.id),
          unsubscribeUrl: sending.unsubscribeUrl(contact),
        });
      const firstId = await sending.outbox.queue(forConversation("First reply"));
      await b.smtp.waitFor(start + 1);
      const secondId = await sending.outbox.queue(forConversation("Second reply"));
      const mails = (await b.smtp.waitFor(start + 2)).slice(start);
      const first = mails.find((mail) => mail.subject === "First reply");
      const second = mails.find((mail) => mail.subject === "Second reply");
      assert.ok(first !== undefined && second !== undefined);
      assert.equal(first.messageId, firstId);
      assert.equal(second.messageId, secondId);
      assert.equal(first.inReplyTo, undefined, "the first email starts the thread");
      assert.equal(second.inReplyTo, firstId);
      assert.deepEqual([second.references].flat(), [firstId]);
      assert.equal((await b.server.store.getEmailThread(conversation.id))?.rootMessageId, firstId);

      for (const mail of [first, second]) {
        assert.match(mail.replyTo?.value[0]?.address ?? "", /^help\+c\d+-[0-9a-f]{16}@acme\.test$/);
        assert.match(
          header(mail, "List-Unsubscribe") ?? "",
          /^<http:\/\/parley\.test\/chat\/email\/unsubscribe\?t=[\w.-]+>$/,
        );
        assert.equal(header(mail, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
        assert.ok(mail.text !== undefined && typeof mail.html === "string", "both parts");
      }
    });

    it("keeps emails queued while SMTP is down or refusing, sends each once when it is back", async (t) => {
      const b = the(t);
      if (b === undefined) return;
      const start = b.smtp.messages.length;
      const { outbox } = b.server.email.sending();
      await b.smtp.close();
      const down = await outbox.queue(plain("While down"));
      b.smtp.refuse();
      const row = async (messageId: string) => b.server.store.findEmailByMessageId(messageId);
      const failing = await eventually(
        "a few failed tries",
        () => row(down),
        (email) => (email?.attempts ?? 0) >= 2,
      );
      assert.equal(failing?.status, "queued");
      assert.ok(failing?.lastError, "the error is kept for the owner");
      await b.smtp.reopen();
      const refused = await outbox.queue(plain("While refused"));
      await eventually(
        "a refusal",
        () => row(refused),
        (email) => /451|later/i.test(email?.lastError ?? ""),
      );
      assert.equal(b.smtp.messages.length, start, "nothing went while refused");
      const status = await b.call("GET", "/settings/email");
      assert.ok(Number(status.body.queued) >= 2, "both wait in the queue");

      b.smtp.accept();
      await b.smtp.waitFor(start + 2);
      for (const id of [down, refused]) {
        const sent = await eventually(
          "the row marked sent",
          () => row(id),
          (email) => email?.status === "sent",
        );
        assert.ok(sent?.sentAt);
      }
      // A sent row's job run again finds it sent: nothing goes twice.
      const sentRow = await row(down);
      await b.server.store.enqueueJob({
        kind: "email.deliver",
        payload: JSON.stringify({ id: sentRow?.id }),
        runAt: new Date().toISOString(),
        at: new Date().toISOString(),
      });
      await eventually(
        "the job queue to empty",
        () => workJobs(b.server.store),
        (jobs) => jobs.length === 0,
      );
      const marker = await outbox.queue(plain("After"));
      await b.smtp.waitFor(start + 3);
      await eventually(
        "the marker sent",
        () => row(marker),
        (email) => email?.status === "sent",
      );
      const subjects = b.smtp.messages
        .slice(start)
        .map((mail) => mail.subject)
        .sort();
      assert.deepEqual(subjects, ["After", "While down", "While refused"], "each exactly once");
    });
  });
}

describe("email outbox giving up", () => {
  it("marks an email failed after the last retry and counts it for the owner", async () => {
    const bed = await startEmailTestBed({ env: { MAIL_RETRY_SCHEDULE: "0.1,0.1" } });
    assert.ok(bed !== undefined);
    try {
      await bed.smtp.close();
      const id = await bed.server.email.sending().outbox.queue(plain("Never"));
      const failed = await eventually(
        "the row given up",
        () => bed.server.store.findEmailByMessageId(id),
        (email) => email?.status === "failed",
      );
      assert.equal(failed?.attempts, 3, "the first try and two retries");
      const status = await bed.call("GET", "/settings/email");
      assert.equal(status.body.failed_last_day, 1);
      assert.equal(status.body.queued, 0);
    } finally {
      await bed.dispose();
    }
  });
});
