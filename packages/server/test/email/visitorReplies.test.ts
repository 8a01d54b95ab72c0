/**
 * Reply emails (protocol §16), end to end: a real server sends through a real SMTP server in the
 * test process, and the tests read what arrives as a mail client would (mailparser). Jobs are
 * brought forward rather than waited for: a reply's email is due after the owner's minutes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ParsedMail } from "mailparser";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { VISITOR_REPLIES_JOB } from "../../src/email/visitorReplies.js";
import {
  EmailWorld,
  ENGINES,
  eventually,
  recipients,
  resumeLinkIn,
  skipOf,
  Visitor,
  WIDGET_ORIGIN,
} from "./visitorWorld.js";

/**
 * The messages a reply email's text part marks as new: each message is a `sender (time):` line
 * and its indented text; new replies' senders carry "· new".
 */
function newRepliesOf(mail: ParsedMail): string {
  const lines = (mail.text ?? "").split("\n");
  const marked: string[] = [];
  let inNew = false;
  for (const line of lines) {
    if (/^\S.*\(.*\):$/.test(line)) inNew = line.includes("· new");
    else if (inNew && line.startsWith("  ")) marked.push(line.trim());
    else inNew = false;
  }
  return marked.join("\n");
}

/** A visitor who wrote and left an email, then left the page: their conversation's id. */
async function absentVisitor(
  world: EmailWorld,
  email: string,
  options: { page?: string; locale?: string } = {},
): Promise<{ id: number; token: string }> {
  const visitor = await Visitor.connect(world.server.url);
  if (options.page !== undefined) visitor.page(options.page);
  await visitor.say("Hello, do you ship to Lyon?");
  const id = await world.conversationOf(visitor.token);
  // The widget sends its language with the address (§16), as the "reply by email" form does.
  const contact = await world.widget("/widget/contact", {
    token: visitor.token,
    email,
    ...(options.locale === undefined ? {} : { locale: options.locale }),
  });
  assert.equal(contact.status, 200, JSON.stringify(contact.body));
  visitor.close();
  await world.offline(id);
  return { id, token: visitor.token };
}

/** Waits for the conversation's job, brings it forward, and returns the email it sends. */
async function emailOf(world: EmailWorld, to: string): Promise<ParsedMail> {
  const seen = world.mailsTo(to);
  // Every reply's scheduling first: one scheduled while bringForward holds the job would be a
  // second job (a wake collapses only with a pending one), and the two would run at once.
  await world.server.repliesScheduled();
  await eventually(async () => (await world.jobsOf(VISITOR_REPLIES_JOB)) > 0, "the reply email's job");
  await world.bringForward(VISITOR_REPLIES_JOB);
  return world.mailTo(to, seen);
}

for (const engine of ENGINES) {
  describe(`reply emails (${engine})`, { skip: skipOf(engine) }, () => {
    let world: EmailWorld;
    before(async () => {
      world = await EmailWorld.start({ engine });
      const renamed = await world.call("PATCH", "/sites/1", { name: "Acme Shop" });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    });
    after(() => world.dispose());

    it("emails an unseen reply to the contact: Reply-To tagged, both parts, the conversation so far, no note, a reopen link, unsubscribe; the next one threads under it", async () => {
      const { id, token } = await absentVisitor(world, "ana@visitor.example", {
        page: `${WIDGET_ORIGIN}/pricing#plans`,
      });
      const note = await world.call("POST", `/conversations/${id}/notes`, { content: "NOTE: VIP, refund" });
      assert.equal(note.status, 201, JSON.stringify(note.body));
      await world.reply(id, "Yes, we ship to Lyon in 3 days.");
      const first = await emailOf(world, "ana@visitor.example");

      assert.deepEqual(recipients(first), ["ana@visitor.example"]);
      assert.match(first.subject ?? "", /Acme Shop/);
      const replyTo = first.replyTo?.value[0]?.address ?? "";
      assert.match(replyTo, new RegExp(`^replies\\+c${id}-[0-9a-f]{16}@acme\\.example$`));
      assert.match(first.text ?? "", /Yes, we ship to Lyon in 3 days\./);
      assert.match(first.text ?? "", /owner replied to your message\./, "the agent's name");
      assert.match(first.text ?? "", /Hello, do you ship to Lyon\?/, "the conversation so far");
      assert.match(newRepliesOf(first), /Yes, we ship to Lyon in 3 days\./);
      assert.doesNotMatch(newRepliesOf(first), /Hello, do you ship/, "only agents' replies are new");
      assert.match(first.html || "", /Yes, we ship to Lyon in 3 days\./);
      assert.match(first.html || "", /Continue the conversation/);
      for (const part of [first.text ?? "", first.html || ""]) assert.doesNotMatch(part, /VIP, refund/);
      // mailparser keeps the List-* headers under "list".
      assert.match(JSON.stringify(first.headers.get("list") ?? ""), /\/email\/unsubscribe\?t=/);
      assert.match(first.text ?? "", /\/email\/unsubscribe\?t=/);

      // The button leads to the visitor's last page, and the widget there exchanges the link.
      const { url, link } = resumeLinkIn(first);
      assert.ok(url.startsWith(`${WIDGET_ORIGIN}/pricing#parley=`), url);
      const resumed = await world.widget("/widget/resume", { link });
      assert.equal(resumed.status, 200, JSON.stringify(resumed.body));
      assert.deepEqual(resumed.body, { token, conversation_id: id });

      // The second email carries only the new reply as new, and threads under the first.
      await world.reply(id, "Anything else I can help with?");
      const second = await emailOf(world, "ana@visitor.example");
      assert.match(newRepliesOf(second), /Anything else I can help with\?/);
      assert.doesNotMatch(newRepliesOf(second), /Yes, we ship to Lyon/);
      assert.ok(first.messageId !== undefined && second.messageId !== first.messageId);
      assert.equal(second.inReplyTo, first.messageId);
      const references = Array.isArray(second.references) ? second.references : [second.references];
      assert.ok(references.includes(first.messageId), JSON.stringify(second.references));
    });

    it("batches the replies of the window into one email", async () => {
      const { id } = await absentVisitor(world, "ben@visitor.example");
      await world.reply(id, "First answer: yes.");
      await world.reply(id, "Second answer: also yes.");
      const mail = await emailOf(world, "ben@visitor.example");
      assert.match(newRepliesOf(mail), /First answer: yes\./);
      assert.match(newRepliesOf(mail), /Second answer: also yes\./);
      await world.drained(VISITOR_REPLIES_JOB);
      await world.server.flushTail();
      assert.equal(world.mailsTo("ben@visitor.example").length, 1);
    });

    it("sends nothing for a reply a connected widget showed, and only the later one after it left", async () => {
      const consumer = createConsumer(world.server.url, { origin: WIDGET_ORIGIN });
      const token = `visitor-${crypto.randomUUID()}`;
      let id = 0;
      try {
        const channel = new RecordingSubscription(consumer, { channel: "VisitorChannel", token });
        await channel.until(() => channel.confirmed);
        channel.perform("send_message", { content: "Is anyone there?", client_id: "c1" });
        await channel.next((event) => event.type === "message");
        id = await world.conversationOf(token);
        assert.equal(
          (await world.widget("/widget/contact", { token, email: "cy@visitor.example" })).status,
          200,
        );

        const seenId = await world.reply(id, "Yes, I am here!");
        await channel.next(
          (event) => event.type === "message" && (event.message as { id: number }).id === seenId,
        );
        await eventually(
          async () => (await world.server.store.getEmailThread(id))?.emailedThroughMessageId === seenId,
          "the reply to count as seen",
        );
        assert.equal(await world.jobsOf(VISITOR_REPLIES_JOB), 0);
      } finally {
        // Also when a check above fails: a live consumer would keep reconnecting.
        consumer.disconnect();
      }
      await world.offline(id);
      await world.reply(id, "Are you still there?");
      const mail = await emailOf(world, "cy@visitor.example");
      assert.match(newRepliesOf(mail), /Are you still there\?/);
      assert.doesNotMatch(newRepliesOf(mail), /Yes, I am here!/);
    });

    it("sends nothing when the visitor is back before the email would go", async () => {
      const { id, token } = await absentVisitor(world, "dee@visitor.example");
      const replyId = await world.reply(id, "Here is the tracking number.");
      await eventually(async () => (await world.jobsOf(VISITOR_REPLIES_JOB)) > 0, "the reply email's job");
      const back = await Visitor.connect(world.server.url, token);
      await world.bringForward(VISITOR_REPLIES_JOB);
      await world.drained(VISITOR_REPLIES_JOB);
      assert.equal((await world.server.store.getEmailThread(id))?.emailedThroughMessageId, replyId);
      back.close();
      assert.equal(world.mailsTo("dee@visitor.example").length, 0);
    });

    it("sends nothing to an unsubscribed contact", async () => {
      const gone = await absentVisitor(world, "eve@visitor.example");
      const { contactId } = (await world.server.store.getConversation(gone.id))!;
      await world.server.store.updateContact(contactId!, {
        emailUnsubscribedAt: new Date().toISOString(),
        at: new Date().toISOString(),
      });
      const other = await absentVisitor(world, "fay@visitor.example");
      await world.reply(gone.id, "A reply nobody should email.");
      // Replies are handled in order: once the later one's job exists, the earlier one was decided.
      await world.reply(other.id, "A reply to email.");
      await emailOf(world, "fay@visitor.example");
      await world.drained(VISITOR_REPLIES_JOB);
      assert.equal(world.mailsTo("eve@visitor.example").length, 0);
    });

    it("writes in the contact's language: French, Japanese, else English", async () => {
      const fr = await absentVisitor(world, "gil@visitor.example", { locale: "fr-FR" });
      await world.reply(fr.id, "Bonjour !");
      const french = await emailOf(world, "gil@visitor.example");
      assert.match(french.subject ?? "", /Nouvelle réponse de Acme Shop/);
      assert.match(french.text ?? "", /Continuer la conversation/);
      assert.match(french.html || "", /Continuer la conversation/);
      assert.match(french.html || "", /<html lang="fr">/);

      const ja = await absentVisitor(world, "hana@visitor.example", { locale: "ja" });
      await world.reply(ja.id, "こんにちは");
      const japanese = await emailOf(world, "hana@visitor.example");
      assert.match(japanese.subject ?? "", /新しい返信/);
      assert.match(japanese.text ?? "", /会話を続ける/);

      const de = await absentVisitor(world, "ida@visitor.example", { locale: "de" });
      await world.reply(de.id, "Hallo");
      assert.match((await emailOf(world, "ida@visitor.example")).subject ?? "", /New reply from Acme Shop/);
    });
  });
}
