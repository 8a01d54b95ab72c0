/**
 * Reply emails (protocol §16): an agent's reply the visitor has not seen within the owner's
 * `email_replies_after_minutes` is emailed to the conversation's contact, with every other reply
 * not yet emailed or seen (one email, batched), the conversation so far and a link back to it.
 *
 * A reply counts as seen when a widget of the conversation is connected as it is sent, or when
 * the email would go: then the thread's `emailed_through_message_id` moves past it and no email
 * goes. Otherwise the first reply enqueues the conversation's job for `now + the setting`; later
 * replies collapse into that job (its dedupe key), which sends them all.
 */
import type { Logger } from "pino";
import { FULL_HISTORY_CAP } from "@parley/protocol";
import type { Happening } from "../chat/events.js";
import type { JobHandler, JobOutcome } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { ClaimedJob, Store, StoredContact, StoredConversation } from "../store/store.js";
import type { EmailOutbox } from "./outgoing.js";
import type { ComposedEmail, RepliesInput } from "./visitorEmails.js";

export const VISITOR_REPLIES_JOB = "email.visitor_replies";
/** The conversation's last messages a reply email shows. */
export const CONVERSATION_SO_FAR = 20;

/** Where each conversation's emails stand (the thread row of migration 012). */
export interface ReplyThreads {
  /** The last agent message an email covered or the visitor saw; 0: none. */
  emailedThrough(conversationId: number): Promise<number>;
  /** Moves it forward to `messageId` (never back). */
  advance(conversationId: number, messageId: number): Promise<void>;
}

export interface VisitorRepliesDeps {
  store: Pick<
    Store,
    "getConversation" | "getContact" | "getSite" | "listMessages" | "listAttachmentsOfMessages"
  >;
  threads: ReplyThreads;
  queue: JobQueue;
  outbox: EmailOutbox;
  logger: Logger;
  /** Whether a widget of that token is connected now, anywhere. */
  isOnline(visitorToken: string): Promise<boolean>;
  /** The owner setting `email_replies_after_minutes`, read at each reply; 0: never. */
  afterMinutes(): number;
  /** The page and signed link a reply email's button leads to. */
  resumeUrl(conversation: StoredConversation): Promise<string>;
  /** The conversation's tagged reply address when answers by email are read; undefined: none. */
  replyTo(conversationId: number): string | undefined;
  /** The contact's one-click unsubscribe URL. */
  unsubscribeUrl(contact: StoredContact): string;
  compose(input: RepliesInput): ComposedEmail;
  now?: () => Date;
}

interface Payload {
  conversation_id: number;
}

export class VisitorReplies {
  private chain: Promise<void> = Promise.resolve();
  private readonly now: () => Date;

  constructor(private readonly deps: VisitorRepliesDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Takes a change from chat's Signal; handled after every change taken before it. */
  take(happening: Happening): void {
    if (happening.type !== "message.created" || happening.message.sender !== "admin") return;
    if (happening.conversation.contactId === null || this.deps.afterMinutes() <= 0) return;
    const { conversation, message } = happening;
    this.chain = this.chain
      .then(() => this.replied(conversation, message.id))
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error, conversationId: conversation.id }, "reply email: not scheduled");
      });
  }

  /** Resolves once every reply taken so far is handled (before the store closes). */
  idle(): Promise<void> {
    return this.chain;
  }

  handler(): JobHandler {
    return { maxAttempts: 10, run: (job) => this.run(job) };
  }

  private async replied(conversation: StoredConversation, messageId: number): Promise<void> {
    const contact = await this.emailableContact(conversation);
    if (contact === undefined) return;
    if (await this.deps.isOnline(conversation.visitorToken)) {
      await this.deps.threads.advance(conversation.id, messageId);
      return;
    }
    const payload: Payload = { conversation_id: conversation.id };
    await this.deps.queue.enqueue(VISITOR_REPLIES_JOB, payload, {
      runAt: new Date(this.now().getTime() + this.deps.afterMinutes() * 60_000),
      dedupeKey: `${VISITOR_REPLIES_JOB}:${conversation.id}`,
    });
  }

  private async run(job: ClaimedJob): Promise<JobOutcome> {
    const { conversation_id: id } = JSON.parse(job.payload) as Payload;
    const { store, threads } = this.deps;
    const conversation = await store.getConversation(id);
    if (conversation === undefined || this.deps.afterMinutes() <= 0) return { kind: "done" };
    const contact = await this.emailableContact(conversation);
    if (contact === undefined) return { kind: "done" };
    const through = await threads.emailedThrough(id);
    const unseen = (await store.listMessages(id, { afterId: through, limit: FULL_HISTORY_CAP })).filter(
      (message) => message.sender === "admin",
    );
    const newest = unseen[unseen.length - 1];
    if (newest === undefined) return { kind: "done" };
    if (await this.deps.isOnline(conversation.visitorToken)) {
      await threads.advance(id, newest.id);
      return { kind: "done" };
    }
    const site = await store.getSite(conversation.siteId);
    if (site === undefined) return { kind: "done" };
    const recent = await store.listMessages(id, { limit: CONVERSATION_SO_FAR });
    const shown = new Set([...unseen, ...recent].map((message) => message.id));
    const attachments = await store.listAttachmentsOfMessages([...shown]);
    const replyTo = this.deps.replyTo(id);
    const unsubscribeUrl = this.deps.unsubscribeUrl(contact);
    const email = this.deps.compose({
      site,
      locale: contact.locale,
      replies: unseen,
      recent,
      attachments,
      resumeUrl: await this.deps.resumeUrl(conversation),
      answersByEmail: replyTo !== undefined,
      unsubscribeUrl,
    });
    await this.deps.outbox.queue({
      kind: "visitor_replies",
      to: contact.email!,
      ...email,
      conversationId: id,
      siteId: site.id,
      ...(replyTo === undefined ? {} : { replyTo }),
      unsubscribeUrl,
    });
    await threads.advance(id, newest.id);
    return { kind: "done" };
  }

  /** The conversation's contact when it has an email and did not unsubscribe. */
  private async emailableContact(conversation: StoredConversation): Promise<StoredContact | undefined> {
    if (conversation.contactId === null) return undefined;
    const contact = await this.deps.store.getContact(conversation.contactId);
    if (contact === undefined || contact.email === null || contact.emailUnsubscribedAt !== null)
      return undefined;
    return contact;
  }
}
