/**
 * The visitor's side of email assembled (protocol §16): reply emails (their listener and job),
 * reopen links and transcripts. Built by server.ts once chat exists: reopen links always (a
 * link already sent still works if sending is turned off), the rest only while email is sent.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Chat } from "../chat/chat.js";
import type { Limiter, LimitRule } from "../chat/rateLimits.js";
import type { EmailConfig } from "../config.js";
import type { JobHandler } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Store, StoredContact } from "../store/store.js";
import type { EmailOutbox } from "./outgoing.js";
import { ReplyAddresses } from "./replyAddress.js";
import { Resume } from "./resume.js";
import { ResumeLinks } from "./resumeLinks.js";
import { SignedTokens } from "./signedTokens.js";
import { Transcripts, TRANSCRIPT_RULE } from "./transcripts.js";
import { composeReplies, composeTranscript } from "./visitorEmails.js";
import { VISITOR_REPLIES_JOB, VisitorReplies, type ReplyThreads } from "./visitorReplies.js";

export interface VisitorEmailOptions {
  store: Store;
  chat: Chat;
  queue: JobQueue;
  logger: Logger;
  secret: string;
  /** Config.email; undefined: nothing is sent (resume links still work). */
  config: EmailConfig | undefined;
  /** The outbox, present exactly when `config` is. */
  outbox: EmailOutbox | undefined;
  /** The contact's one-click unsubscribe URL (the outbox's side, unsubscribe.ts). */
  unsubscribeUrl: ((contact: StoredContact) => string) | undefined;
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
  const { store, chat, config, outbox } = options;
  const now = options.now ?? (() => new Date());
  const links = new ResumeLinks(new SignedTokens(options.secret, () => now().getTime()), now);
  const resume = new Resume({
    links,
    store,
    originsOf: (site) => chat.sites.originsOf(site),
    publicUrl: config?.publicUrl,
  });
  if (config === undefined || outbox === undefined || options.unsubscribeUrl === undefined)
    return { resume, transcripts: undefined, replies: undefined, handlers: new Map() };

  const addresses =
    config.imap === undefined ? undefined : new ReplyAddresses(config.replyTo, options.secret);
  const domain = config.fromAddress.slice(config.fromAddress.lastIndexOf("@") + 1);
  const threads: ReplyThreads = {
    emailedThrough: async (conversationId) =>
      (await store.getEmailThread(conversationId))?.emailedThroughMessageId ?? 0,
    async advance(conversationId, messageId) {
      const thread = await store.getEmailThread(conversationId);
      await store.upsertEmailThread({
        conversationId,
        // A reply seen before any email went: the thread's root is the Message-ID its first email
        // will answer, so every email of the conversation threads together in mail clients.
        rootMessageId: thread?.rootMessageId ?? `<${randomUUID()}@${domain}>`,
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
    unsubscribeUrl: options.unsubscribeUrl,
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
