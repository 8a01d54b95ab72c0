/**
 * Hands an outbox row to the SMTP server of SMTP_URL (nodemailer). One pooled transport per
 * node; the timeouts keep a send well within the job's lease, so a hung server is a retry, not a
 * lease that lapses while the send may still go through.
 */
import nodemailer, { type Transporter } from "nodemailer";
import type { StoredEmail } from "../store/emailStore.js";

export interface EmailSender {
  /** Resolves once the SMTP server accepted the message; rejects otherwise. */
  send(email: StoredEmail): Promise<void>;
  close(): void;
}

/** Well under the job worker's 60 s lease. */
const CONNECT_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 20_000;

export class SmtpSender implements EmailSender {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: CONNECT_TIMEOUT_MS,
      greetingTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
    });
  }

  async send(email: StoredEmail): Promise<void> {
    const headers: Record<string, string> = {};
    if (email.unsubscribeUrl !== null) {
      // RFC 8058: mail clients offer "unsubscribe" and POST this body to the URL.
      headers["List-Unsubscribe"] = `<${email.unsubscribeUrl}>`;
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }
    await this.transport.sendMail({
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
    this.transport.close();
  }
}
