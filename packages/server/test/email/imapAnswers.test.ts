/**
 * Answers by email end to end (protocol §16): a real dovecot mailbox, a running Parley polling it,
 * an agent on the AdminChannel. A visitor's answer lands stripped of its quoted history, live and
 * `via: "email"`, threaded by the tagged address or by In-Reply-To; its PNG is kept; mail from
 * someone else, about nothing, or from a robot is ignored; a mail shown twice is taken once; the
 * mailbox marks every one seen. On SQLite, and on Postgres when TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dovecotMissing, startDovecot, type Dovecot } from "../support/dovecot.js";
import { ENGINES, POSTGRES_SKIP } from "../webhooks/harness.js";
import { png } from "../files/fixtures.js";
import { ImapParley, REPLY_MAILBOX } from "./imapHarness.js";

const missing = dovecotMissing();

for (const engine of ENGINES) {
  describe(`answers by email over IMAP (${engine.name})`, { skip: missing }, () => {
    let dovecot: Dovecot;
    let parley: ImapParley | undefined;
    let drop: (() => Promise<void>) | undefined;

    before(async () => {
      const database = await engine.database();
      if (database === undefined) return;
      drop = () => database.drop();
      dovecot = await startDovecot();
      parley = await ImapParley.start(dovecot, database.env);
    });

    after(async () => {
      await parley?.dispose();
      await dovecot?.stop();
      await drop?.();
    });

    /** The running harness, or a skip when this engine is not available here. */
    const ready = (t: { skip(reason: string): void }): ImapParley | undefined => {
      if (parley === undefined) t.skip(POSTGRES_SKIP);
      return parley;
    };

    it("takes a reply to the tagged address, without its quoted history, live and via email", async (t) => {
      const p = ready(t);
      if (p === undefined) return;
      const conversation = await p.emailedConversation();
      const messageId = await p.deliver({
        from: `Visitor <${conversation.visitorAddress.toUpperCase()}>`,
        to: conversation.replyTo,
        subject: "Re: Your conversation with Example",
        inReplyTo: conversation.sentMessageId,
        references: [conversation.sentMessageId],
        text: [
          "Thanks, clearing the cache fixed it!",
          "",
          "On Tue, Dec 1, 2026 at 10:00 AM Example Support <help@example.com>",
          "wrote:",
          "",
          "> Hi! Try clearing the cache.",
        ].join("\n"),
      });
      const live = await p.agent.next(
        (m) =>
          m.type === "new_message" &&
          m.conversation_id === conversation.id &&
          (m.message as { sender?: string }).sender === "visitor" &&
          (m.message as { via?: string }).via === "email",
        15_000,
      );
      assert.equal((live.message as { content: string }).content, "Thanks, clearing the cache fixed it!");
      const history = await p.history(conversation.id);
      const last = history.at(-1)!;
      assert.equal(last.content, "Thanks, clearing the cache fixed it!");
      assert.equal(last.via, "email");
      assert.equal(last.sender, "visitor");
      // The widget's own message is not marked.
      assert.equal(history[0]!.via, undefined);
      assert.deepEqual(await p.recorded(messageId), {
        messageId,
        conversationId: conversation.id,
        outcome: "taken",
        reason: null,
        receivedAt: (await p.recorded(messageId)).receivedAt,
      });
      await p.seen(messageId);
    });

    it("threads a reply sent to the plain mailbox by its In-Reply-To, and keeps its PNG", async (t) => {
      const p = ready(t);
      if (p === undefined) return;
      const conversation = await p.emailedConversation();
      const messageId = await p.deliver({
        from: conversation.visitorAddress,
        to: REPLY_MAILBOX,
        subject: "Re: Your conversation with Example",
        inReplyTo: conversation.sentMessageId,
        text: "Here is a screenshot.\n\nLe 1 déc. 2026 à 10:00, Example <help@example.com> a écrit :\n> Bonjour",
        attachments: [
          { filename: "screenshot.png", content: await png(40, 30), contentType: "image/png" },
          {
            filename: "setup.exe",
            content: Buffer.from("MZ not a program"),
            contentType: "application/x-msdownload",
          },
        ],
      });
      assert.equal((await p.recorded(messageId)).outcome, "taken");
      const message = await p.agent.next(
        (m) =>
          m.type === "new_message" &&
          m.conversation_id === conversation.id &&
          (m.message as { via?: string }).via === "email",
        15_000,
      );
      const { content, attachments } = message.message as {
        content: string;
        attachments?: Array<{ filename: string; content_type: string; width?: number }>;
      };
      assert.equal(content, "Here is a screenshot.\n\n[Not attached: setup.exe (file type not allowed)]");
      assert.equal(attachments?.length, 1);
      assert.equal(attachments[0]!.filename, "screenshot.png");
      assert.equal(attachments[0]!.content_type, "image/png");
      assert.equal(attachments[0]!.width, 40);
      await p.seen(messageId);
    });

    it("threads by the tagged address a receiving host wrote in Delivered-To", async (t) => {
      const p = ready(t);
      if (p === undefined) return;
      const conversation = await p.emailedConversation();
      // A client that answered to the plain mailbox and dropped the thread's headers.
      const messageId = await p.deliver({
        from: conversation.visitorAddress,
        to: REPLY_MAILBOX,
        subject: "About my question",
        headers: { "Delivered-To": conversation.replyTo },
        text: "ありがとうございます。\n\n2026年12月1日(火) 10:00 Example <help@example.com>:\n\n> こんにちは",
      });
      assert.deepEqual(
        { ...(await p.recorded(messageId)), receivedAt: undefined },
        { messageId, conversationId: conversation.id, outcome: "taken", reason: null, receivedAt: undefined },
      );
      const live = await p.agent.next(
        (m) =>
          m.type === "new_message" &&
          m.conversation_id === conversation.id &&
          (m.message as { via?: string }).via === "email",
        15_000,
      );
      assert.equal((live.message as { content: string }).content, "ありがとうございます。");
    });

    it("takes an answer from the contact's current email, not only the address emailed", async (t) => {
      const p = ready(t);
      if (p === undefined) return;
      const conversation = await p.emailedConversation();
      await p.leaveEmail(conversation.visitor, "New.Address@example.org");
      const messageId = await p.deliver({
        from: "new.address@example.org",
        to: conversation.replyTo,
        subject: "Re: Your conversation with Example",
        text: "Writing from my new address.",
      });
      assert.equal((await p.recorded(messageId)).outcome, "taken");
    });

    it("keeps at most five files and notes the rest; ignores an answer with nothing new in it", async (t) => {
      const p = ready(t);
      if (p === undefined) return;
      const conversation = await p.emailedConversation();
      const image = await png(8, 8);
      const files = await p.deliver({
        from: conversation.visitorAddress,
        to: conversation.replyTo,
        subject: "Photos",
        attachments: [1, 2, 3, 4, 5, 6].map((n) => ({ filename: `photo-${n}.png`, content: image })),
      });
      const message = await p.agent.next(
        (m) =>
          m.type === "new_message" &&
          m.conversation_id === conversation.id &&
          (m.message as { via?: string }).via === "email",
        15_000,
      );
      const { content, attachments } = message.message as { content: string; attachments?: unknown[] };
      assert.equal(attachments?.length, 5);
      assert.equal(content, "[Not attached: photo-6.png (at most 5 files)]");
      await p.seen(files);

      const empty = await p.deliver({
        from: conversation.visitorAddress,
        to: conversation.replyTo,
        subject: "Re: Photos",
        text: "On Tue, Dec 1, 2026 at 10:00 AM Example <help@example.com> wrote:\n> Hi! Try clearing the cache.",
      });
      assert.equal((await p.recorded(empty)).reason, "empty");
    });

    it("ignores mail from another sender, about no conversation, and auto-replies, marking them seen", async (t) => {
      const p = ready(t);
      if (p === undefined) return;
      const conversation = await p.emailedConversation();
      const before = (await p.history(conversation.id)).length;
      const stranger = await p.deliver({
        from: "someone.else@example.net",
        to: conversation.replyTo,
        subject: "Re: Your conversation with Example",
        text: "Let me in.",
      });
      const forged = await p.deliver({
        from: conversation.visitorAddress,
        // A tag whose check does not hold, and no header naming anything Parley sent.
        to: `replies+c${conversation.id}-0000000000000000@example.com`,
        inReplyTo: "<not-ours@example.org>",
        subject: "Hello",
        text: "Guessing numbers.",
      });
      const robot = await p.deliver({
        from: conversation.visitorAddress,
        to: conversation.replyTo,
        inReplyTo: conversation.sentMessageId,
        subject: "Out of office",
        headers: { "Auto-Submitted": "auto-replied" },
        text: "I am away until Monday.",
      });
      const bounce = await p.deliver({
        from: "MAILER-DAEMON@mail.example.org",
        to: conversation.replyTo,
        subject: "Undelivered Mail Returned to Sender",
        text: "This is the mail system.",
      });
      assert.deepEqual(
        await Promise.all([stranger, forged, robot, bounce].map(async (id) => (await p.recorded(id)).reason)),
        ["wrong_sender", "no_conversation", "auto_reply", "auto_reply"],
      );
      for (const id of [stranger, forged, robot, bounce]) await p.seen(id);
      assert.equal((await p.history(conversation.id)).length, before);
    });

    it("takes a mail once even when the mailbox shows it twice", async (t) => {
      const p = ready(t);
      if (p === undefined) return;
      const conversation = await p.emailedConversation();
      const mail = {
        from: conversation.visitorAddress,
        to: conversation.replyTo,
        subject: "Re: Your conversation with Example",
        text: "Only once, please.",
        messageId: `<twice-${conversation.id}@mail.example.org>`,
      };
      await p.deliver(mail);
      await p.seen(mail.messageId);
      // The same mail again, unseen (a client that copied it back, a server that lost its flags).
      await p.deliver(mail);
      const marker = await p.deliver({ ...mail, messageId: undefined, text: "And then this." });
      await p.recorded(marker);
      await p.seen(marker);
      const contents = (await p.history(conversation.id)).map((message) => message.content);
      assert.deepEqual(contents.slice(1), ["Only once, please.", "And then this."]);
    });

    it("reopens a resolved conversation when the visitor answers by email", async (t) => {
      const p = ready(t);
      if (p === undefined) return;
      const conversation = await p.emailedConversation();
      const resolved = await fetch(`${p.server.url}/conversations/${conversation.id}/state`, {
        method: "PUT",
        headers: { cookie: p.cookie, "content-type": "application/json", origin: p.server.url },
        body: JSON.stringify({ state: "resolved" }),
      });
      assert.equal(resolved.status, 200, await resolved.text());
      const messageId = await p.deliver({
        from: conversation.visitorAddress,
        to: conversation.replyTo,
        subject: "Re: Your conversation with Example",
        text: "Actually, one more question.",
      });
      assert.equal((await p.recorded(messageId)).outcome, "taken");
      // The record comes before the message; the store reopens it before the message goes out.
      await p.agent.until(
        () =>
          p.agent.received.some(
            (m) =>
              m.type === "new_message" &&
              m.conversation_id === conversation.id &&
              (m.message as { via?: string }).via === "email",
          ),
        15_000,
      );
      assert.equal((await p.server.store.getConversation(conversation.id))?.state, "open");
    });
  });
}
