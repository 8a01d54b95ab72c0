/**
 * The whole round: Parley really sends a conversation's email (its outbox, over SMTP to a real
 * smtp-server), the visitor's mail client answers what arrived (Reply-To, In-Reply-To and
 * References as it found them, an HTML-only body quoting the email), the answer reaches the
 * dovecot mailbox, and the agent sees it in the conversation, live and `via: "email"`.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { dovecotMissing, startDovecot, type Dovecot } from "../support/dovecot.js";
import { startSmtpServer, type TestSmtpServer } from "../support/smtpServer.js";
import { ImapParley } from "./imapHarness.js";

describe("answering the email Parley sent", { skip: dovecotMissing() }, () => {
  let dovecot: Dovecot;
  let smtp: TestSmtpServer;
  let parley: ImapParley;

  before(async () => {
    dovecot = await startDovecot();
    smtp = await startSmtpServer();
    parley = await ImapParley.start(dovecot, { SMTP_URL: smtp.url });
  });

  after(async () => {
    await parley?.dispose();
    await smtp?.stop();
    await dovecot?.stop();
  });

  it("lands the visitor's answer to a sent email in its conversation", async () => {
    const conversation = await parley.emailedConversation("marie@example.org");
    const sending = parley.server.email.sending();
    const queuedId = await sending.outbox.queue({
      kind: "visitor_replies",
      to: "marie@example.org",
      subject: "Votre conversation avec Example",
      text: "Bonjour ! Videz le cache.",
      html: "<p>Bonjour ! Videz le cache.</p>",
      locale: "fr",
      conversationId: conversation.id,
      siteId: 1,
      replyTo: sending.replyAddresses.forConversation(conversation.id),
    });
    const [sent] = await smtp.waitFor(1, 15_000);
    assert.equal(sent?.messageId, queuedId);
    const replyTo = sent.replyTo?.value[0]?.address;
    assert.equal(replyTo, conversation.replyTo);

    // Apple Mail's answer, HTML only, quoting the email in a blockquote.
    const answerId = await parley.deliver({
      from: "Marie <marie@example.org>",
      to: replyTo,
      subject: `Re: ${sent.subject ?? ""}`,
      inReplyTo: sent.messageId,
      references: [sent.messageId],
      html:
        "<html><body><div>C&#39;est réglé, merci beaucoup&nbsp;!</div><div><br></div>" +
        "<div>Envoyé de mon iPhone</div>" +
        '<blockquote type="cite"><div>Le 1 déc. 2026 à 10:00, Example a écrit :</div>' +
        "<div>Bonjour ! Videz le cache.</div></blockquote></body></html>",
    });
    const live = await parley.agent.next(
      (m) =>
        m.type === "new_message" &&
        m.conversation_id === conversation.id &&
        (m.message as { via?: string }).via === "email",
      15_000,
    );
    assert.equal((live.message as { content: string }).content, "C'est réglé, merci beaucoup !");
    await parley.seen(answerId);
  });
});
