/**
 * An answer by email is posted exactly once (protocol §16), even across a crash: the intake posts
 * the message under a client_id made from the mail's Message-ID, then records the mail. A crash
 * between the two (here: the recording fails once, as a process dying there would leave it) leaves
 * the mail unrecorded; read again, it posts idempotently: the stored message comes back, nothing
 * new is stored or published, and the mail is recorded. Against a real server, its store and chat,
 * on SQLite, and on Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { simpleParser } from "mailparser";
import type * as ActionCable from "@rails/actioncable";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { login, startTestServer, type TestServer } from "../support/testServer.js";
import { ENGINES, POSTGRES_SKIP, Visitor } from "../webhooks/harness.js";
import { EmailIntake } from "../../src/email/intake.js";
import { ReplyAddresses } from "../../src/email/replyAddress.js";
import type { Store } from "../../src/store/store.js";
import { compose } from "./imapHarness.js";

const SECRET_KEY_BASE = "a test secret key base that is long enough to use";
const REPLY_MAILBOX = "replies@example.com";
const VISITOR_ADDRESS = "visitor@example.org";

for (const engine of ENGINES) {
  describe(`an answer by email across a crash between posting and recording (${engine.name})`, () => {
    let server: TestServer | undefined;
    let drop: (() => Promise<void>) | undefined;
    let consumer: ActionCable.Consumer;
    let agent: RecordingSubscription;
    let visitor: Visitor;
    let tempDir: string | undefined;

    before(async () => {
      const database = await engine.database();
      if (database === undefined) return;
      drop = () => database.drop();
      server = await startTestServer({
        ...database.env,
        SECRET_KEY_BASE,
        SMTP_URL: "smtp://127.0.0.1:9",
        MAIL_FROM: "help@example.com",
        PUBLIC_URL: "http://chat.example.com",
        MAIL_REPLY_TO: REPLY_MAILBOX,
      });
      tempDir = mkdtempSync(join(tmpdir(), "parley-intake-"));
      consumer = createConsumer(server.url, { cookie: await login(server.url) });
      agent = new RecordingSubscription(consumer, { channel: "AdminChannel" });
      await agent.until(() => agent.confirmed);
      visitor = await Visitor.connect(server.url);
    });

    after(async () => {
      visitor?.close();
      consumer?.disconnect();
      await server?.dispose();
      await drop?.();
      if (tempDir !== undefined) rmSync(tempDir, { recursive: true, force: true });
    });

    /** The running server, or a skip when this engine is not available here. */
    const ready = (t: { skip(reason: string): void }): TestServer | undefined => {
      if (server === undefined) t.skip(POSTGRES_SKIP);
      return server;
    };

    /** The intake as the mailbox reader builds it, over a store whose recording fails `failures` times. */
    function intakeCrashingAtRecord(server: TestServer, failures: number): EmailIntake {
      let left = failures;
      const store: Store = Object.create(server.store) as Store;
      store.recordInboundEmail = (input) => {
        if (left > 0) {
          left -= 1;
          return Promise.reject(new Error("the process died before recording the mail"));
        }
        return server.store.recordInboundEmail(input);
      };
      return new EmailIntake({
        store,
        addresses: new ReplyAddresses(REPLY_MAILBOX, SECRET_KEY_BASE),
        chat: {
          upload: (uploader, candidate) => server.chat.attachments.upload(uploader, candidate),
          postAnswer: (input) => server.chat.visitors.postAnswer(input),
        },
        logger: server.logger,
        maxUploadBytes: () => 10 * 1024 * 1024,
        tempDir: tempDir ?? tmpdir(),
      });
    }

    const emailAnswers = () =>
      agent
        .ofType("new_message")
        .filter((event) => (event.message as { via?: string } | undefined)?.via === "email");

    it("yields exactly one message, published once, when the mail is read again", async (t) => {
      const server = ready(t);
      if (server === undefined) return;
      await visitor.say("Hello, is anyone there?");
      const conversation = await server.store.findConversationByToken(visitor.token);
      assert.ok(conversation);
      const replyTo = new ReplyAddresses(REPLY_MAILBOX, SECRET_KEY_BASE).forConversation(conversation.id);
      const sent = await server.store.insertEmail({
        kind: "visitor_replies",
        siteId: conversation.siteId,
        conversationId: conversation.id,
        to: VISITOR_ADDRESS,
        messageId: `<${randomUUID()}@example.com>`,
        subject: "Your conversation with Example",
        text: "Hi! Try clearing the cache.",
        html: "<p>Hi! Try clearing the cache.</p>",
        replyTo,
        unsubscribeUrl: null,
        locale: "en",
        at: new Date().toISOString(),
      });
      const messageId = `<${randomUUID()}@mail.example.org>`;
      const source = await compose({
        from: VISITOR_ADDRESS,
        to: replyTo,
        subject: "Re: Your conversation with Example",
        messageId,
        inReplyTo: sent.messageId,
        references: [sent.messageId],
        text: "Clearing the cache fixed it.\n\nOn Tue, Dec 1, 2026 Example wrote:\n> Hi! Try clearing the cache.\n",
      });
      const mail = await simpleParser(source);

      // The first reading posts, then dies before the mail is recorded.
      await assert.rejects(intakeCrashingAtRecord(server, 1).take(mail, source), /died before recording/);
      assert.equal(await server.store.findInboundEmail(messageId), undefined, "the crash left it unrecorded");
      const posted = await agent.next(
        (event) =>
          event.type === "new_message" && (event.message as { via?: string } | undefined)?.via === "email",
      );
      const postedId = (posted.message as { id: number }).id;

      // After the restart the mailbox shows the mail again: the same message, now recorded.
      const intake = intakeCrashingAtRecord(server, 0);
      const again = await intake.take(mail, source);
      assert.deepEqual(again, { kind: "taken", conversationId: conversation.id, messageId: postedId });
      const recorded = await server.store.findInboundEmail(messageId);
      assert.equal(recorded?.outcome, "taken");
      assert.equal(recorded?.conversationId, conversation.id);
      // And once recorded, a third reading does nothing at all.
      assert.deepEqual(await intake.take(mail, source), { kind: "seen_before" });

      const messages = await server.store.listMessages(conversation.id, { limit: 50 });
      const answers = messages.filter((message) => message.via === "email");
      assert.equal(answers.length, 1, "exactly one message for the mail");
      assert.equal(answers[0]?.id, postedId);
      assert.equal(answers[0]?.content, "Clearing the cache fixed it.");
      assert.equal(answers[0]?.clientId, EmailIntake.clientIdOf(messageId));

      // Nothing was published for the second reading: the visitor's next message, published after
      // it, finds a single email answer before it on the agent's channel.
      const nextId = await visitor.say("Thanks again!");
      await agent.next(
        (event) =>
          event.type === "new_message" && (event.message as { id?: number } | undefined)?.id === nextId,
      );
      assert.equal(emailAnswers().length, 1, "published once");
    });

    it("names the answer within the protocol's client_id length, the same for the same mail", () => {
      const id = EmailIntake.clientIdOf(`<${"x".repeat(240)}@example.org>`);
      assert.ok(id.length <= 64, id);
      assert.equal(id, EmailIntake.clientIdOf(`<${"x".repeat(240)}@example.org>`));
      assert.notEqual(id, EmailIntake.clientIdOf("<other@example.org>"));
    });
  });
}
