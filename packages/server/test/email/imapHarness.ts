/**
 * A Parley server reading a real dovecot mailbox (IMAP_URL, polled every second), with what the
 * answers-by-email tests do: a visitor's conversation, an email Parley sent into it (an outbox
 * row, as the reply emails write them), an agent on the AdminChannel, and mails as mail clients
 * compose them (nodemailer's composer), appended to the mailbox unseen.
 */
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";
import type * as ActionCable from "@rails/actioncable";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import type { Dovecot } from "../support/dovecot.js";
import { login, startTestServer, WIDGET_ORIGIN, type TestServer } from "../support/testServer.js";
import { Visitor } from "../webhooks/harness.js";
import { ReplyAddresses } from "../../src/email/replyAddress.js";
import type { StoredInboundEmail } from "../../src/store/emailInboundStore.js";

export const MAIL_FROM = "help@example.com";
export const REPLY_MAILBOX = "replies@example.com";
const SECRET_KEY_BASE = "a test secret key base that is long enough to use";

export interface EmailedConversation {
  id: number;
  visitor: Visitor;
  /** Where Parley's email went: the address answers must come from. */
  visitorAddress: string;
  /** The Message-ID of the email Parley sent. */
  sentMessageId: string;
  /** The conversation's tagged Reply-To. */
  replyTo: string;
}

export class ImapParley {
  readonly addresses = new ReplyAddresses(REPLY_MAILBOX, SECRET_KEY_BASE);
  agent!: RecordingSubscription;
  private consumer: ActionCable.Consumer | undefined;
  private readonly visitors: Visitor[] = [];

  private constructor(
    readonly server: TestServer,
    readonly dovecot: Dovecot,
    readonly cookie: string,
  ) {}

  static async start(dovecot: Dovecot, env: Record<string, string> = {}): Promise<ImapParley> {
    const server = await startTestServer({
      SECRET_KEY_BASE,
      // Sending is configured (email needs it) but not what these tests look at.
      SMTP_URL: "smtp://127.0.0.1:9",
      MAIL_FROM,
      PUBLIC_URL: "http://chat.example.com",
      MAIL_REPLY_TO: REPLY_MAILBOX,
      IMAP_URL: dovecot.url,
      IMAP_POLL_SECONDS: "1",
      RATE_LIMIT_PER_MINUTE: "1000",
      ...env,
    });
    const parley = new ImapParley(server, dovecot, await login(server.url));
    parley.consumer = createConsumer(server.url, { cookie: parley.cookie });
    parley.agent = new RecordingSubscription(parley.consumer, { channel: "AdminChannel" });
    await parley.agent.until(() => parley.agent.confirmed);
    return parley;
  }

  /** A visitor writes, and Parley emails the conversation to `visitorAddress`. */
  async emailedConversation(visitorAddress = `visitor-${randomUUID().slice(0, 8)}@example.org`) {
    const visitor = await Visitor.connect(this.server.url);
    this.visitors.push(visitor);
    await visitor.say("Hello, is anyone there?");
    const conversation = await this.server.store.findConversationByToken(visitor.token);
    if (conversation === undefined) throw new Error("the visitor's conversation was not stored");
    const replyTo = this.addresses.forConversation(conversation.id);
    const sent = await this.server.store.insertEmail({
      kind: "visitor_replies",
      siteId: conversation.siteId,
      conversationId: conversation.id,
      to: visitorAddress,
      messageId: `<${randomUUID()}@example.com>`,
      subject: "Your conversation with Example",
      text: "Hi! Try clearing the cache.",
      html: "<p>Hi! Try clearing the cache.</p>",
      replyTo,
      unsubscribeUrl: null,
      locale: "en",
      at: new Date().toISOString(),
    });
    return { id: conversation.id, visitor, visitorAddress, sentMessageId: sent.messageId, replyTo };
  }

  /** The visitor gives (or changes) their email in the widget: the contact's address from now on. */
  async leaveEmail(visitor: Visitor, email: string): Promise<void> {
    const response = await fetch(`${this.server.url}/widget/contact`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: WIDGET_ORIGIN },
      body: JSON.stringify({ token: visitor.token, email }),
    });
    if (response.status !== 200)
      throw new Error(`widget contact: ${response.status} ${await response.text()}`);
  }

  /** Composes a mail as a mail client would and puts it in the mailbox, unseen; its Message-ID. */
  async deliver(mail: Mail.Options & { messageId?: string }): Promise<string> {
    const messageId = mail.messageId ?? `<${randomUUID()}@mail.example.org>`;
    const raw = await compose({ ...mail, messageId });
    await this.dovecot.append(raw);
    return messageId;
  }

  /** Waits until the reader recorded the mail (taken or ignored). */
  async recorded(messageId: string, timeoutMs = 15_000): Promise<StoredInboundEmail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.server.store.findInboundEmail(messageId);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`${messageId} was never recorded\n${this.dovecot.log()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Waits until the mailbox shows the mail \Seen. */
  async seen(messageId: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const flags = (await this.dovecot.flagsByMessageId()).get(messageId);
      if (flags?.has("\\Seen")) return;
      if (Date.now() > deadline) throw new Error(`${messageId} was never flagged seen`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The conversation's messages as an agent's REST history gives them. */
  async history(conversationId: number): Promise<Array<Record<string, unknown>>> {
    const response = await fetch(`${this.server.url}/conversations/${conversationId}/messages`, {
      headers: { cookie: this.cookie },
    });
    if (response.status !== 200) throw new Error(`history: ${response.status}`);
    return ((await response.json()) as { messages: Array<Record<string, unknown>> }).messages;
  }

  async dispose(): Promise<void> {
    for (const visitor of this.visitors) visitor.close();
    this.consumer?.disconnect();
    await this.server.dispose();
  }
}

/** The bytes of a mail as nodemailer composes it (MIME parts, encodings, headers). */
export async function compose(mail: Mail.Options): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "windows" });
  const info = (await transport.sendMail(mail)) as { message: Buffer };
  return info.message;
}
