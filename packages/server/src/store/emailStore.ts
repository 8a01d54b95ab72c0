/**
 * The store's part for email (protocol §16, migration 012): the outbox every email goes through
 * (written once, sent once by the `email.deliver` job), conversations' threads, contacts' email
 * fields and agents' alert settings.
 */
import type { AgentEmailAlerts } from "@parley/protocol";
import type { EmailKind } from "../email/outgoing.js";

export type EmailStatus = "queued" | "sent" | "failed";

export interface StoredEmail {
  id: number;
  kind: EmailKind;
  siteId: number | null;
  conversationId: number | null;
  to: string;
  /** `<…@domain>`. */
  messageId: string;
  subject: string;
  text: string;
  html: string;
  replyTo: string | null;
  /** The conversation's first email's Message-ID, sent as In-Reply-To and References. */
  inReplyTo: string | null;
  unsubscribeUrl: string | null;
  locale: string;
  status: EmailStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** `inReplyTo` is the store's: the conversation's thread gives it. */
export type NewEmail = Omit<
  StoredEmail,
  "id" | "inReplyTo" | "status" | "attempts" | "lastError" | "createdAt" | "sentAt"
> & { at: string };

export interface StoredEmailThread {
  conversationId: number;
  rootMessageId: string;
  /** The last agent message a reply email covered or the visitor saw; 0: none. */
  emailedThroughMessageId: number;
  updatedAt: string;
}

export interface AgentEmailSettings {
  agentId: number;
  email: string | null;
  emailAlerts: AgentEmailAlerts;
  emailAlertAfterMinutes: number;
  /** Their last alert; null: never. */
  emailAlertedAt: string | null;
}

/** A conversation whose visitor waits for an answer (agents' alerts). */
export interface UnansweredConversation {
  conversationId: number;
  siteId: number;
  visitorName: string | null;
  createdAt: string;
  /** The first visitor message after the last agent message: how long they have waited. */
  waitingSince: string;
  /** The latest visitor message. */
  lastContent: string;
  lastAt: string;
}

export interface EmailStore {
  /**
   * Stores a queued email. With `conversationId`, in the same transaction: the conversation's
   * thread is read (its root becomes `inReplyTo`) or, for its first email, made with this one's
   * Message-ID as root. Returns the stored row.
   */
  insertEmail(email: NewEmail): Promise<StoredEmail>;
  getEmail(id: number): Promise<StoredEmail | undefined>;
  /** Counts one more try (before it is made: a crash mid-send still counts). */
  countEmailAttempt(id: number): Promise<StoredEmail | undefined>;
  /** Queued → sent; false when it was not queued (already sent or given up). */
  markEmailSent(id: number, at: string): Promise<boolean>;
  /** Keeps the error of a try that failed; still queued unless `giveUp`. */
  markEmailFailed(id: number, error: string, giveUp: boolean): Promise<void>;
  /** Emails still to go, and those given up since `since` (by creation). */
  countEmails(since: string): Promise<{ queued: number; failedSince: number }>;
  /** Every queued row's id, oldest first (a boot wakes their jobs). */
  listQueuedEmailIds(): Promise<number[]>;
  /** Whether an email with this Message-ID went out from here, and for which conversation. */
  findEmailByMessageId(messageId: string): Promise<StoredEmail | undefined>;

  /**
   * The reply mailbox's last check (table `email_mailbox`, migration 013 of the mail reader);
   * undefined before its first check.
   */
  getMailboxStatus(): Promise<{ lastFetchAt: string | null; lastFetchError: string | null } | undefined>;

  getEmailThread(conversationId: number): Promise<StoredEmailThread | undefined>;
  /** Creates the thread (root kept if it exists) and raises `emailedThroughMessageId` (never lowers). */
  upsertEmailThread(input: {
    conversationId: number;
    rootMessageId: string;
    emailedThroughMessageId?: number;
    at: string;
  }): Promise<StoredEmailThread>;

  getAgentEmailSettings(agentId: number): Promise<AgentEmailSettings | undefined>;
  updateAgentEmailSettings(
    agentId: number,
    settings: Pick<AgentEmailSettings, "email" | "emailAlerts" | "emailAlertAfterMinutes">,
  ): Promise<AgentEmailSettings | undefined>;
  /** Agents with an email and alerts not off. */
  listAgentsWithEmailAlerts(): Promise<AgentEmailSettings[]>;
  markAgentEmailAlerted(agentId: number, at: string): Promise<void>;
  /**
   * Conversations not resolved whose last message is the visitor's, waiting since after `after`,
   * on `siteIds` (undefined: every site), the longest waiting first, at most `limit`.
   */
  listUnansweredConversations(query: {
    siteIds: number[] | undefined;
    after: string;
    limit: number;
  }): Promise<UnansweredConversation[]>;
}
