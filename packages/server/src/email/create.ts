/**
 * The email module assembled (protocol §16) from the config: the outbox and its delivery job,
 * signed tokens, reply addresses, unsubscribe links, the owner's status and test email, and the
 * agents' alerts. server.ts builds one and joins its job handlers to the worker's, as webhooks'.
 *
 * With email off (no SMTP_URL, MAIL_FROM, PUBLIC_URL) the module still exists: `enabled` is
 * false, `sending()` throws 409 `Email is not configured` (what every route that sends answers),
 * and unsubscribe links already sent keep working.
 */
import type { EmailLocale, EmailStatusResponse } from "@parley/protocol";
import type { Logger } from "pino";
import { ChatError } from "../chat/errors.js";
import type { Presence } from "../chat/presence.js";
import type { SiteTeams } from "../chat/siteTeams.js";
import type { EmailConfig } from "../config.js";
import type { JobHandler } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { StoredEmail } from "../store/emailStore.js";
import type { Store, StoredContact } from "../store/store.js";
import { AgentEmailAlerts } from "./agentAlerts.js";
import { deliverEmailHandler, type EmailOutcome } from "./deliverJob.js";
import { AGENT_ALERT, DELIVER_EMAIL } from "./jobKinds.js";
import type { EmailOutbox } from "./outgoing.js";
import { StoreEmailOutbox } from "./outbox.js";
import { ReplyAddresses } from "./replyAddress.js";
import { SignedTokens } from "./signedTokens.js";
import { SmtpSender, type EmailSender } from "./smtpSender.js";
import { emailStatus } from "./status.js";
import { queueTestEmail } from "./testEmail.js";
import { Unsubscribes } from "./unsubscribe.js";

export interface EmailModuleOptions {
  config: EmailConfig | undefined;
  store: Store;
  queue: JobQueue;
  logger: Logger;
  /** SECRET_KEY_BASE: the tokens' and reply tags' keys derive from it. */
  secret: string;
  /** Who has an inbox open (agents' alerts skip them). */
  presence: Pick<Presence, "onlineAgents">;
  /** Who answers which site (agents' alerts list only their sites' conversations). */
  teams: Pick<SiteTeams, "answering" | "scopeOf">;
  /** Tests may hand their own; default: SMTP_URL through nodemailer. */
  sender?: EmailSender;
  /** Told of every sending attempt: sent, retried or given up (metrics). */
  counted?: (email: StoredEmail, outcome: EmailOutcome) => void;
  now?: () => Date;
}

/** What the parts that write emails need; only while sending is on. */
export interface EmailSending {
  config: EmailConfig;
  outbox: EmailOutbox;
  /** Tagged Reply-To addresses for a conversation's emails (replyAddress.ts). */
  replyAddresses: ReplyAddresses;
  /** The List-Unsubscribe link for emails to this contact's address. */
  unsubscribeUrl(contact: Pick<StoredContact, "id" | "siteId" | "email">): string;
  /** An absolute link under PUBLIC_URL (`path` starts with `/`). */
  link(path: string): string;
}

export interface EmailModule {
  readonly enabled: boolean;
  /** Signed expiring tokens (reopen links, unsubscribe links), whether sending is on or not. */
  readonly tokens: SignedTokens;
  readonly unsubscribes: Unsubscribes;
  /** The job kinds this module runs (`email.deliver`, `email.agent_alert`); none when off. */
  readonly handlers: ReadonlyMap<string, JobHandler>;
  /** Sending's parts; throws 409 `Email is not configured` when off. */
  sending(): EmailSending;
  status(): Promise<EmailStatusResponse>;
  sendTest(input: { to: string; locale: EmailLocale; siteName: string; color: string }): Promise<void>;
  /** The agents' alerts (agentAlerts.ts); undefined when off. */
  readonly agentAlerts: AgentEmailAlerts | undefined;
  /** At boot: wakes the delivery of every queued email whose job was lost. */
  start(): Promise<void>;
  close(): void;
}

export const notConfigured = (): ChatError => new ChatError("conflict", "Email is not configured");

export function createEmail(options: EmailModuleOptions): EmailModule {
  const { config, store, queue, logger } = options;
  const now = options.now ?? (() => new Date());
  const tokens = new SignedTokens(options.secret, () => now().getTime());
  const unsubscribes = new Unsubscribes(tokens, store, config?.publicUrl, now);

  if (config === undefined) {
    return {
      enabled: false,
      tokens,
      unsubscribes,
      handlers: new Map(),
      sending: () => {
        throw notConfigured();
      },
      status: () => emailStatus(undefined, store, now()),
      sendTest: () => Promise.reject(notConfigured()),
      agentAlerts: undefined,
      start: async () => {},
      close: () => {},
    };
  }

  const sender = options.sender ?? new SmtpSender(config.smtpUrl, config.from);
  const outbox = new StoreEmailOutbox({ store, queue, fromAddress: config.fromAddress, now });
  const sending: EmailSending = {
    config,
    outbox,
    replyAddresses: new ReplyAddresses(config.replyTo, options.secret),
    unsubscribeUrl: (contact) => unsubscribes.url(contact),
    link: (path) => `${config.publicUrl}${path}`,
  };
  const agentAlerts = new AgentEmailAlerts({
    store,
    queue,
    outbox,
    presence: options.presence,
    teams: options.teams,
    publicUrl: config.publicUrl,
    logger,
    now,
  });
  const handlers = new Map<string, JobHandler>([
    [
      DELIVER_EMAIL,
      deliverEmailHandler({
        store,
        sender,
        retryScheduleMs: config.retryScheduleMs,
        logger,
        now,
        ...(options.counted === undefined ? {} : { counted: options.counted }),
      }),
    ],
    [AGENT_ALERT, agentAlerts.handler()],
  ]);
  return {
    enabled: true,
    tokens,
    unsubscribes,
    handlers,
    sending: () => sending,
    status: () => emailStatus(config, store, now()),
    sendTest: async (input) => {
      await queueTestEmail(outbox, { ...input, publicUrl: config.publicUrl });
    },
    agentAlerts,
    start: () => outbox.wakeQueued(),
    close: () => sender.close(),
  };
}
