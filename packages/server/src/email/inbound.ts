/**
 * Answers by email assembled (protocol §16): the intake, the mailbox reader, and the recurring
 * durable job `email.fetch_replies` that polls it. Each run reads the mailbox, then enqueues the
 * next run at now + IMAP_POLL_SECONDS under one dedupe key, so the polling survives restarts and
 * only the node holding the job's lease reads. Every boot enqueues one, which adds nothing while
 * one waits; one added while another node was running it merges at that run's enqueue. An
 * enqueue that fails makes the run a retry: the job stays, so the polling never ends.
 */
import type { Logger } from "pino";
import type { ImapConfig } from "../config.js";
import type { JobHandler } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Store } from "../store/store.js";
import { EmailIntake, type AnswerPort } from "./intake.js";
import { ReplyMailbox } from "./mailbox.js";
import type { ReplyAddresses } from "./replyAddress.js";

export const FETCH_REPLIES = "email.fetch_replies";

/**
 * The polling job's handler on a node without IMAP_URL: a job left from when it was set (or
 * enqueued by a node that has it) ends here instead of waiting forever for a node that knows it.
 */
export const fetchRepliesOff: JobHandler = {
  maxAttempts: 1,
  run: () => Promise.resolve({ kind: "done" }),
};

export interface EmailInboundOptions {
  imap: ImapConfig;
  store: Store;
  queue: JobQueue;
  addresses: ReplyAddresses;
  chat: AnswerPort;
  logger: Logger;
  maxUploadBytes: () => number;
  tempDir: string;
  now?: () => Date;
}

export interface EmailInbound {
  readonly mailbox: ReplyMailbox;
  readonly handlers: ReadonlyMap<string, JobHandler>;
  /** Makes sure the polling job exists (at boot). */
  start(): Promise<void>;
}

export function createEmailInbound(options: EmailInboundOptions): EmailInbound {
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ part: "email-in" });
  const intake = new EmailIntake({
    store: options.store,
    addresses: options.addresses,
    chat: options.chat,
    logger,
    maxUploadBytes: options.maxUploadBytes,
    tempDir: options.tempDir,
    now,
  });
  const mailbox = new ReplyMailbox({ imap: options.imap, intake, store: options.store, logger, now });
  const pollMs = options.imap.pollSeconds * 1000;
  const fetchReplies: JobHandler = {
    // A fetch never throws (mailbox.ts records its failures); only the enqueue can: never give up.
    maxAttempts: Number.MAX_SAFE_INTEGER,
    async run() {
      await mailbox.fetch();
      await options.queue.enqueue(
        FETCH_REPLIES,
        {},
        { runAt: new Date(now().getTime() + pollMs), dedupeKey: FETCH_REPLIES },
      );
      return { kind: "done" };
    },
  };
  return {
    mailbox,
    handlers: new Map([[FETCH_REPLIES, fetchReplies]]),
    async start() {
      await options.queue.enqueue(FETCH_REPLIES, {}, { dedupeKey: FETCH_REPLIES });
    },
  };
}
