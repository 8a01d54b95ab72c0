/**
 * Transcripts (protocol §16): the whole conversation (its messages and the names of their files,
 * never notes) emailed to an address the visitor or an agent gives, else to the contact's. The
 * visitor may ask at most TRANSCRIPTS_PER_HOUR times an hour per token, besides §12's limits.
 */
import { FULL_HISTORY_CAP } from "@parley/protocol";
import { ChatError, notFound, TooManyError } from "../chat/errors.js";
import * as check from "../chat/contactValidation.js";
import type { Limiter } from "../chat/rateLimits.js";
import type { Store, StoredConversation } from "../store/store.js";
import type { EmailOutbox } from "./outgoing.js";
import type { ComposedEmail, TranscriptInput } from "./visitorEmails.js";

export const TRANSCRIPTS_PER_HOUR = 3;
export const TRANSCRIPT_RULE = {
  name: "transcript-token",
  points: TRANSCRIPTS_PER_HOUR,
  windowSeconds: 3600,
};

export const noAddress = (): ChatError => new ChatError("unprocessable", "No email address");

export interface TranscriptsDeps {
  store: Pick<
    Store,
    "getSite" | "getContact" | "findConversationByToken" | "listMessages" | "listAttachmentsOfMessages"
  >;
  outbox: EmailOutbox;
  /** TRANSCRIPT_RULE's limiter (memory or Redis, as every limit). */
  perToken: Limiter;
  compose(input: TranscriptInput): ComposedEmail;
  /** Saves a visitor's address on their contact, as `POST /widget/contact` does. */
  saveEmail(siteId: number, token: string, email: string): Promise<void>;
}

export class Transcripts {
  constructor(private readonly deps: TranscriptsDeps) {}

  /** `POST /widget/transcript`: the token's conversation on the site (the caller checked the page). */
  async forVisitor(siteId: number, token: string, email: unknown): Promise<void> {
    const given = email === undefined ? null : check.email(email);
    const allowed = await this.deps.perToken.take(token);
    if (!allowed.ok) {
      const seconds = Math.max(1, Math.ceil(allowed.retryAfterMs / 1000));
      throw new TooManyError(`Too many transcripts, try again in ${seconds} s`, allowed.retryAfterMs);
    }
    const conversation = await this.deps.store.findConversationByToken(token);
    if (conversation === undefined || conversation.siteId !== siteId) throw notFound("Conversation");
    if (given !== null) await this.deps.saveEmail(siteId, token, given);
    await this.send(conversation, given);
  }

  /** `POST /conversations/:id/transcript`: a conversation the agent answers (the caller found it). */
  async forAgent(conversation: StoredConversation, email: unknown): Promise<void> {
    await this.send(conversation, email === undefined ? null : check.email(email));
  }

  private async send(conversation: StoredConversation, given: string | null): Promise<void> {
    const { store } = this.deps;
    const [site, contact] = await Promise.all([
      store.getSite(conversation.siteId),
      conversation.contactId === null ? undefined : store.getContact(conversation.contactId),
    ]);
    const to = given ?? contact?.email ?? null;
    if (to === null) throw noAddress();
    if (site === undefined) throw notFound("Site");
    const messages = await store.listMessages(conversation.id, { limit: FULL_HISTORY_CAP });
    const attachments = await store.listAttachmentsOfMessages(messages.map((message) => message.id));
    const email = this.deps.compose({ site, locale: contact?.locale ?? null, messages, attachments });
    await this.deps.outbox.queue({
      kind: "transcript",
      to,
      ...email,
      conversationId: conversation.id,
      siteId: site.id,
    });
  }
}
