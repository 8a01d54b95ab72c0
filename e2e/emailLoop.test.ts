/**
 * The whole email loop (§16) in Chromium, every part real: a Parley server that sends through an
 * SMTP server in this process and reads a dovecot mailbox started here. A visitor on a shop's
 * page, the team away, writes, leaves an email and closes the page; an agent replies in the inbox;
 * the reply email arrives with the agent's words; the visitor answers it as a mail client would
 * (threaded, with the quoted history below) and the answer lands in the mailbox; it shows up live
 * in the agent's open conversation, marked "by email", without the quoted history; the email's
 * link, opened in a fresh browser, shows the whole conversation, the emailed answer included.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import nodemailer from "nodemailer";
import type { ParsedMail } from "mailparser";
import { dovecotMissing, startDovecot, type Dovecot } from "../packages/server/test/support/dovecot.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { asAgent } from "./support/contacts.js";
import {
  bringForward,
  emailEnv,
  mailTo,
  reopenUrlIn,
  startSmtpServer,
  type TestSmtpServer,
  VISITOR_REPLIES_JOB,
} from "./support/email.js";
import { login } from "./support/agent.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium() || dovecotMissing() || false;

const ADA = "ada@visitor.example";
const QUESTION = "Can I still change the address on order 5521?";
const REPLY = "Yes: send me the new address and I'll update it.";
const ANSWER = "Please send it to 12 Rue des Lilas, Lyon.";

let smtp: TestSmtpServer;
let dovecot: Dovecot;
let parley: Parley;
let shop: ThirdPartySite;
const cleanups: (() => Promise<void> | void)[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  smtp = await startSmtpServer();
  cleanups.push(() => smtp.stop());
  dovecot = await startDovecot();
  cleanups.push(() => dovecot.stop());
  shop = await startThirdPartySite();
  cleanups.push(() => shop.close());
  parley = await startParley({
    allowedOrigins: [shop.origin],
    env: {
      ...emailEnv(smtp),
      MAIL_REPLY_TO: "replies@shop.example",
      IMAP_URL: dovecot.url,
      IMAP_POLL_SECONDS: "1",
    },
  });
  cleanups.push(() => parley.close());
  shop.setPage("/orders", embedPage(parley.url));
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function launch(): Promise<Browser> {
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  return browser;
}

/** The visitor's answer to `reply` as a mail client writes it: threaded, the history quoted below. */
async function answerTo(reply: ParsedMail, text: string): Promise<Buffer> {
  const replyTo = reply.replyTo?.value[0]?.address;
  assert.ok(replyTo, "the reply email has a Reply-To");
  assert.ok(reply.messageId, "the reply email has a Message-ID");
  const quoted = (reply.text ?? "")
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  const info = (await transport.sendMail({
    from: `Ada <${ADA}>`,
    to: replyTo,
    subject: `Re: ${reply.subject ?? ""}`,
    messageId: "<answer-5521@visitor.example>",
    inReplyTo: reply.messageId,
    references: [reply.messageId],
    text: `${text}\n\nOn Tue, Dec 1, 2026 at 10:00 AM Shop Help <help@shop.example> wrote:\n${quoted}\n`,
  })) as { message: Buffer };
  return info.message;
}

test(
  "visitor away → agent's reply by email → answer by email, live in the inbox → link shows it all",
  { skip },
  async () => {
    // The visitor, the team away (no agent connected), writes and leaves an address.
    const visitorBrowser = await launch();
    const visitorPage = await visitorBrowser.context.newPage();
    await visitorPage.goto(`${shop.origin}/orders`);
    const widget = widgetIn(visitorPage);
    await widget.launcher.click();
    await widget.send(QUESTION);
    const card = widget.host.locator(".ml form");
    await card.waitFor();
    await widget.host.locator("#me").fill(ADA);
    await card.locator("button[type=submit]").click();
    await widget.host.locator(".ml [role=status]", { hasText: `We'll email you at ${ADA}.` }).waitFor();
    const token = await visitorPage.evaluate(() => localStorage.getItem("parley.token"));
    assert.ok(token);
    const conversation = await parley.server.store.findConversationByToken(token);
    assert.ok(conversation);
    const id = conversation.id;
    await visitorPage.close();

    const cookie = await login(parley.url);
    await waitFor("the visitor to be gone", async () => {
      const { conversation } = await asAgent<{ conversation: { visitor_online: boolean } }>(
        parley.url,
        cookie,
        "GET",
        `/conversations/${id}`,
      );
      return !conversation.visitor_online;
    });

    // An agent opens the conversation in the inbox and replies.
    const agentBrowser = await launch();
    const inbox = inboxIn(await agentBrowser.context.newPage());
    await loginInInbox(inbox.page, parley.url, OWNER);
    await inbox.page.goto(`${parley.url}/admin/chats/${id}`);
    await inbox.page.locator(".thread .msg.in .bubble", { hasText: QUESTION }).waitFor();
    const before = smtp.messages.slice();
    await inbox.reply(REPLY);
    await inbox.page.locator(".thread .msg.out:not(.sending) .bubble", { hasText: REPLY }).waitFor();

    // The reply email, its minutes brought forward, arrives with the agent's words.
    await bringForward(parley.server.store, VISITOR_REPLIES_JOB);
    const reply = await mailTo(smtp, ADA, before);
    assert.match(reply.text ?? "", new RegExp(REPLY.replace(/[.:]/g, "\\$&")));
    assert.match(reply.replyTo?.value[0]?.address ?? "", /^replies\+.+@shop\.example$/);

    // The visitor answers it from their mail client; the answer reaches the mailbox.
    await dovecot.append(await answerTo(reply, ANSWER));

    // It appears live in the agent's open conversation, by email, its quoted history gone.
    const answer = inbox.page.locator(".thread .msg.in", { hasText: ANSWER });
    await answer.waitFor({ timeout: 20_000 });
    await answer.locator(".via-email", { hasText: "by email" }).waitFor();
    const bubble = (await answer.locator(".bubble").textContent()) ?? "";
    assert.equal(bubble.trim(), ANSWER);
    assert.deepEqual(await inbox.texts(), [QUESTION, REPLY, ANSWER]);

    // The email's link, in a browser that never saw this visitor, shows the whole conversation.
    const elsewhere = await launch();
    const page = await elsewhere.context.newPage();
    await page.goto(reopenUrlIn(reply));
    const reopened = widgetIn(page);
    await reopened.panel.waitFor();
    await reopened.host.locator("li.v .b", { hasText: ANSWER }).waitFor();
    assert.deepEqual(await reopened.texts(), [QUESTION, REPLY, ANSWER]);
  },
);
