/**
 * The store's part for answers by email (protocol §16, migration 013): which mails the reply
 * reader has looked at (each Message-ID once), what threads a mail to a conversation (the
 * Message-IDs Parley sent and the addresses it sent them to), and the reader's last fetch.
 */

export type InboundOutcome = "taken" | "ignored";

export interface NewInboundEmail {
  /** The mail's Message-ID as it came (`<…>`), or one Parley derived for a mail without one. */
  messageId: string;
  conversationId: number | null;
  outcome: InboundOutcome;
  reason: string | null;
  at: string;
}

export type StoredInboundEmail = Omit<NewInboundEmail, "at"> & { receivedAt: string };

/** A conversation an email Parley sent belongs to, and the address it went to. */
export interface SentEmailRecipient {
  conversationId: number;
  toAddress: string;
}

export interface EmailInboundStore {
  /**
   * Records a mail once: true when this call stored it, false when its Message-ID was already
   * there (the mail was looked at before and must not be acted on again).
   */
  recordInboundEmail(input: NewInboundEmail): Promise<boolean>;
  /** The record of a mail looked at before, by Message-ID; undefined: never. */
  findInboundEmail(messageId: string): Promise<StoredInboundEmail | undefined>;
  /** The conversations and addresses of the sent emails among these Message-IDs. */
  sentEmailRecipients(messageIds: string[]): Promise<SentEmailRecipient[]>;
  /** Every address a conversation's emails went to. */
  emailAddressesOfConversation(conversationId: number): Promise<string[]>;
  /** The reader's last fetch; `error` null: it went well (read back by getMailboxStatus). */
  recordMailboxFetch(at: string, error: string | null): Promise<void>;
}
