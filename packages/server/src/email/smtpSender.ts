/**
 * Hands an outbox row to the SMTP server of SMTP_URL (nodemailer). One pooled transport per
 * node; the timeouts keep a send well within the job's lease, so a hung server is a retry, not a
 * lease that lapses while the send may still go through.
 */
import type { Transporter } from "nodemailer";
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";
import type { StoredEmail } from "../store/emailStore.js";

/** Loaded with the first email, not at boot (most servers send none). */
const loadNodemailer = loadOnce(
  async () => (await importPackage<typeof import("nodemailer")>("nodemailer")).default,
);

export interface EmailSender {
  /** Resolves once the SMTP server accepted the message; rejects otherwise. */
  send(email: StoredEmail): Promise<void>;
  close(): void;
}

/** Well under the job worker's 60 s lease. */
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 20_000;

export class SmtpSender implements EmailSender {
  /** Made with the first send; undefined until then and after `close`. */
  private transport: Promise<Transporter> | undefined;
  private closed = false;

  constructor(
    private readonly smtpUrl: string,
    private readonly from: string,
  ) {}

  private transporter(): Promise<Transporter> {
    if (this.closed) return Promise.reject(new Error("the SMTP sender is closed"));
    this.transport ??= loadNodemailer().then((nodemailer) =>
      nodemailer.createTransport({
        url: this.smtpUrl,
        connectionTimeout: CONNECT_TIMEOUT_MS,
        greetingTimeout: CONNECT_TIMEOUT_MS,
        socketTimeout: SOCKET_TIMEOUT_MS,
      }),
    );
    return this.transport;
  }

  async send(email: StoredEmail): Promise<void> {
    const headers: Record<string, string> = {};
    if (email.unsubscribeUrl !== null) {
      // RFC 8058: mail clients offer "unsubscribe" and POST this body to the URL.
      headers["List-Unsubscribe"] = `<${email.unsubscribeUrl}>`;
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }
    const transport = await this.transporter();
    await transport.sendMail({
      from: this.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
      ...(email.replyTo === null ? {} : { replyTo: email.replyTo }),
      ...(email.inReplyTo === null ? {} : { inReplyTo: email.inReplyTo, references: [email.inReplyTo] }),
      headers,
    });
  }

  close(): void {
    this.closed = true;
    void this.transport?.then((transport) => transport.close());
    this.transport = undefined;
  }
}
