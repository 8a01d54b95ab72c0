/**
 * The outbox (EmailOutbox): an email is stored as written, with a fresh Message-ID and the
 * threading its conversation calls for (the store roots the thread on its first email), and an
 * `email.deliver` job sends it. Composing returns at once; SMTP being down only delays.
 */
import { randomBytes } from "node:crypto";
import type { JobQueue } from "../jobs/queue.js";
import type { Store } from "../store/store.js";
import { enqueueEmailDelivery } from "./jobKinds.js";
import type { EmailOutbox, OutgoingEmail } from "./outgoing.js";

export interface StoreEmailOutboxOptions {
  store: Pick<Store, "insertEmail" | "listQueuedEmailIds">;
  queue: JobQueue;
  /** MAIL_FROM's address: its domain ends every Message-ID. */
  fromAddress: string;
  now?: () => Date;
}

/** `<random@domain>`: unique, and names where it came from. */
export function newMessageId(fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf("@") + 1);
  return `<${randomBytes(16).toString("hex")}@${domain}>`;
}

export class StoreEmailOutbox implements EmailOutbox {
  private readonly now: () => Date;

  constructor(private readonly options: StoreEmailOutboxOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async queue(email: OutgoingEmail): Promise<string> {
    const stored = await this.options.store.insertEmail({
      kind: email.kind,
      siteId: email.siteId ?? null,
      conversationId: email.conversationId ?? null,
      to: email.to,
      messageId: newMessageId(this.options.fromAddress),
      subject: email.subject,
      text: email.text,
      html: email.html,
      replyTo: email.replyTo ?? null,
      unsubscribeUrl: email.unsubscribeUrl ?? null,
      locale: email.locale,
      at: this.now().toISOString(),
    });
    await enqueueEmailDelivery(this.options.queue, stored.id);
    return stored.messageId;
  }

  /**
   * Wakes the job of every queued row, for one whose job was never stored (the store failed
   * between the row and its job). Collapses with the jobs that exist.
   */
  async wakeQueued(): Promise<void> {
    for (const id of await this.options.store.listQueuedEmailIds()) {
      await enqueueEmailDelivery(this.options.queue, id);
    }
  }
}
