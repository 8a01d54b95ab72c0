/**
 * What the parts of Parley that write emails hand to the outbox (outbox.ts), and the outbox's
 * port: composing an email (replies, transcripts, alerts, a test) is apart from sending it, which
 * goes through the durable job queue with retries, once.
 */
import type { EmailLocale } from "@parley/protocol";

/** What an email is about: counted in metrics and shown in the owner's email status. */
export type EmailKind = "visitor_replies" | "transcript" | "agent_alert" | "test";

export interface OutgoingEmail {
  kind: EmailKind;
  to: string;
  subject: string;
  /** Both parts always: the plain text for every client, the HTML for those that show it. */
  text: string;
  html: string;
  locale: EmailLocale;
  /** The conversation it belongs to: threads its emails and goes when the conversation goes. */
  conversationId?: number;
  siteId?: number;
  /** Where answers go (the conversation's tagged reply address); absent: MAIL_FROM. */
  replyTo?: string;
  /** An absolute URL: sent as `List-Unsubscribe` with RFC 8058's one-click header. */
  unsubscribeUrl?: string;
}

export interface EmailOutbox {
  /**
   * Stores the email for sending and returns its Message-ID (`<…@domain>`); a conversation's
   * emails after its first carry `In-Reply-To`/`References` of that first one.
   */
  queue(email: OutgoingEmail): Promise<string>;
}
