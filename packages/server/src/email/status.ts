/** `GET /settings/email`: what the environment turned on, and how the outbox and the mailbox fare. */
import type { EmailStatusResponse } from "@parley/protocol";
import type { EmailConfig } from "../config.js";
import type { Store } from "../store/store.js";

const DAY_MS = 24 * 3600 * 1000;

export async function emailStatus(
  config: EmailConfig | undefined,
  store: Pick<Store, "countEmails" | "getMailboxStatus">,
  now: Date,
): Promise<EmailStatusResponse> {
  const [counts, mailbox] = await Promise.all([
    store.countEmails(new Date(now.getTime() - DAY_MS).toISOString()),
    config?.imap === undefined ? undefined : store.getMailboxStatus(),
  ]);
  return {
    sending: config !== undefined,
    receiving: config?.imap !== undefined,
    from: config?.from ?? null,
    reply_to: config?.imap === undefined ? null : config.replyTo,
    last_fetch_at: mailbox?.lastFetchAt ?? null,
    last_fetch_error: mailbox?.lastFetchError ?? null,
    queued: counts.queued,
    failed_last_day: counts.failedSince,
  };
}
