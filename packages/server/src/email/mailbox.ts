/**
 * Reads the reply mailbox (IMAP_URL, protocol §16): each unseen mail is parsed, handed to the
 * intake (which records it by Message-ID before acting, so it is taken once), then flagged
 * \Seen. One fetch connects, works through at most MAX_MAILS_PER_FETCH mails and logs out; the
 * job that calls it (inbound.ts) runs on one node at a time. A failure (the server away, wrong
 * password, the store down) is logged and recorded for the owner's status, never thrown: the
 * next poll tries again, and a mail not yet flagged is read again then.
 */
import type { ImapFlow } from "imapflow";
import type { Logger } from "pino";
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";
import type { ImapConfig } from "../config.js";
import type { Store } from "../store/store.js";
import { EmailIntake, type IntakeResult } from "./intake.js";

/** Loaded with the first poll, not at boot: most servers read no mailbox. */
const loadImap = loadOnce(async () => ({
  ImapFlow: (await importPackage<typeof import("imapflow")>("imapflow")).ImapFlow,
  simpleParser: (await importPackage<typeof import("mailparser")>("mailparser")).simpleParser,
}));

/** Bounds one fetch well within its job's lease; the rest wait for the next poll. */
const MAX_MAILS_PER_FETCH = 25;
/** Larger mail is not downloaded: ignored (recorded) and flagged seen. */
export const MAX_MAIL_BYTES = 40 * 1024 * 1024;
const CONNECT_TIMEOUT_MS = 15_000;
const SOCKET_TIMEOUT_MS = 30_000;

export interface FetchSummary {
  /** Unseen mails found (up to the per-fetch bound). */
  unseen: number;
  taken: number;
  ignored: number;
  /** null: the fetch went well. */
  error: string | null;
}

export interface ReplyMailboxOptions {
  imap: ImapConfig;
  intake: EmailIntake;
  store: Pick<Store, "recordMailboxFetch">;
  logger: Logger;
  now?: () => Date;
}

export class ReplyMailbox {
  private readonly now: () => Date;

  constructor(private readonly options: ReplyMailboxOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** One look at the mailbox; never throws. */
  async fetch(): Promise<FetchSummary> {
    const summary: FetchSummary = { unseen: 0, taken: 0, ignored: 0, error: null };
    const { imap, logger } = this.options;
    const { ImapFlow } = await loadImap();
    const client = new ImapFlow({
      host: imap.host,
      port: imap.port,
      secure: imap.secure,
      auth: { user: imap.user, pass: imap.password },
      logger: false,
      connectionTimeout: CONNECT_TIMEOUT_MS,
      greetingTimeout: CONNECT_TIMEOUT_MS,
      socketTimeout: SOCKET_TIMEOUT_MS,
      disableAutoIdle: true,
    });
    // imapflow reports a lost connection as an event too: unheard, it would end the process.
    client.on("error", (error: unknown) => {
      logger.debug({ err: error }, "reply mailbox connection error");
    });
    try {
      await client.connect();
      const lock = await client.getMailboxLock(imap.mailbox);
      try {
        await this.readUnseen(client, summary);
      } finally {
        lock.release();
      }
      await client.logout();
      if (summary.unseen > 0) logger.info({ ...summary }, "reply mailbox read");
    } catch (error) {
      summary.error = describe(error);
      logger.warn({ err: error, mailbox: imap.mailbox, host: imap.host }, "reading the reply mailbox failed");
      client.close();
    }
    try {
      await this.options.store.recordMailboxFetch(this.now().toISOString(), summary.error);
    } catch (error) {
      logger.error({ err: error }, "could not record the reply mailbox's fetch");
    }
    return summary;
  }

  private async readUnseen(client: ImapFlow, summary: FetchSummary): Promise<void> {
    const found = await client.search({ seen: false }, { uid: true });
    const uids = (found || []).slice(0, MAX_MAILS_PER_FETCH);
    summary.unseen = uids.length;
    for (const uid of uids) {
      const head = await client.fetchOne(String(uid), { size: true, envelope: true }, { uid: true });
      if (head === false) continue;
      let result: IntakeResult;
      if ((head.size ?? 0) > MAX_MAIL_BYTES) {
        result = await this.options.intake.tooLarge(
          EmailIntake.messageIdOf({ messageId: head.envelope?.messageId }, Buffer.from(`uid ${uid}`)),
        );
      } else {
        const mail = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (mail === false || mail.source === undefined) continue;
        const { simpleParser } = await loadImap();
        result = await this.options.intake.take(await simpleParser(mail.source), mail.source);
      }
      if (result.kind === "taken") summary.taken += 1;
      else if (result.kind === "ignored") summary.ignored += 1;
      // Only once the intake is done with it: a mail whose intake failed is read again next time.
      await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const extra = (error as { responseText?: unknown }).responseText;
    return typeof extra === "string" && extra !== "" ? `${error.message}: ${extra}` : error.message;
  }
  return String(error);
}
