/**
 * The visitor's side of email assembled (protocol §16): reply emails (their listener and job),
 * reopen links and transcripts, over the email module's parts (create.ts). Built by server.ts
 * once chat exists: reopen links always (a link already sent still works if sending is turned
 * off), the rest only while email is sent.
 */
import type { Logger } from "pino";
import type { Chat } from "../chat/chat.js";
import type { Limiter, LimitRule } from "../chat/rateLimits.js";
import type { EmailConfig } from "../config.js";
import type { JobHandler } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Store, StoredContact } from "../store/store.js";
import { newMessageId } from "./outbox.js";
import type { EmailOutbox } from "./outgoing.js";
import type { ReplyAddresses } from "./replyAddress.js";
import { Resume } from "./resume.js";
import { ResumeLinks } from "./resumeLinks.js";
import type { SignedTokens } from "./signedTokens.js";
import { Transcripts, TRANSCRIPT_RULE } from "./transcripts.js";
import { composeReplies, composeTranscript } from "./visitorEmails.js";
import { VISITOR_REPLIES_JOB, VisitorReplies, type ReplyThreads } from "./visitorReplies.js";

/** What the email module gives the parts that write emails, while sending is on. */
export interface VisitorEmailSending {
  config: EmailConfig;
  outbox: EmailOutbox;
  /** Tagged Reply-To addresses: used while answers by email are read (IMAP_URL). */
  replyAddresses: ReplyAddresses;
  /** The List-Unsubscribe link for emails to this contact's address. */
  unsubscribeUrl(contact: Pick<StoredContact, "id" | "siteId" | "email">): string;
}

export interface VisitorEmailOptions {
  store: Store;
  chat: Chat;
  queue: JobQueue;
  logger: Logger;
  /** The email module's signed tokens (one key per purpose). */
  tokens: SignedTokens;
  /** undefined while email is off: nothing is sent (reopen links already sent still work). */
  sending: VisitorEmailSending | undefined;
  makeLimiter(rule: LimitRule): Limiter;
  now?: () => Date;
}

export interface VisitorEmail {
  resume: Resume;
  /** undefined while email is off. */
  transcripts: Transcripts | undefined;
  /** undefined while email is off. */
  replies: VisitorReplies | undefined;
  handlers: ReadonlyMap<string, JobHandler>;
}

export function createVisitorEmail(options: VisitorEmailOptions): VisitorEmail {
  const { store, chat, sending } = options;
  const now = options.now ?? (() => new Date());
  const resume = new Resume({
    links: new ResumeLinks(options.tokens, now),
    store,
    originsOf: (site) => chat.sites.originsOf(site),
    publicUrl: sending?.config.publicUrl,
  });
  if (sending === undefined)
    return { resume, transcripts: undefined, replies: undefined, handlers: new Map() };

  const { config, outbox } = sending;
  // Answers go to the tagged address only while someone reads that mailbox.
  const addresses = config.imap === undefined ? undefined : sending.replyAddresses;
  const threads: ReplyThreads = {
    emailedThrough: async (conversationId) =>
      (await store.getEmailThread(conversationId))?.emailedThroughMessageId ?? 0,
    async advance(conversationId, messageId) {
      const thread = await store.getEmailThread(conversationId);
      await store.upsertEmailThread({
        conversationId,
        // A reply seen before any email went: the root is a Message-ID the conversation's emails
        // will all answer, so they still thread together in mail clients.
        rootMessageId: thread?.rootMessageId ?? newMessageId(config.fromAddress),
        emailedThroughMessageId: messageId,
        at: now().toISOString(),
      });
    },
  };
  const replies = new VisitorReplies({
    store,
    threads,
    queue: options.queue,
    outbox,
    logger: options.logger,
    isOnline: async (token) => (await chat.presence.onlineVisitors([token])).has(token),
    afterMinutes: () => chat.settings.current().email_replies_after_minutes,
    resumeUrl: (conversation) => resume.urlFor(conversation),
    replyTo: (conversationId) => addresses?.forConversation(conversationId),
    unsubscribeUrl: (contact) => sending.unsubscribeUrl(contact),
    compose: composeReplies,
    now,
  });
  const transcripts = new Transcripts({
    store,
    outbox,
    perToken: options.makeLimiter(TRANSCRIPT_RULE),
    compose: composeTranscript,
    saveEmail: (siteId, token, email) => chat.contacts.details(siteId, { token, email }),
  });
  return {
    resume,
    transcripts,
    replies,
    handlers: new Map([[VISITOR_REPLIES_JOB, replies.handler()]]),
  };
}
