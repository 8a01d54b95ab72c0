/**
 * Privacy (protocol §17): a person's data exported as one archive, erased on an owner's word, and
 * resolved conversations deleted once the owner's retention period has passed. Erasure and
 * retention delete the same things (privacyStore.ts's ErasureScope): blobs first, then the rows in
 * one transaction, then agents hear `conversation_deleted` as when one conversation is deleted.
 */
import type { Contact, EraseResponse, VisitorContext } from "@parley/protocol";
import type { Logger } from "pino";
import type { BlobStore } from "../files/blobStore.js";
import type { JobHandler } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { ErasedCounts, ErasureScope } from "../store/privacyStore.js";
import type { StoredAttachment, StoredContact, StoredConversation, Store } from "../store/store.js";
import type { AuditActor, AuditTrail } from "./auditTrail.js";
import { ChatError, notFound } from "./errors.js";
import type { ChatEvents } from "./events.js";
import { MAX_NOTES_LISTED, toWireNote } from "./notes.js";
import { toWireConversation, toWireMessage } from "./toWire.js";
import * as validate from "./validate.js";
import { toWireContext } from "./visitorContext.js";

/** The daily retention run's job kind. */
export const RETENTION_JOB = "privacy.retention";
const DAY_MS = 24 * 60 * 60 * 1000;
/** Conversations deleted per transaction: a large backlog never holds the database for long. */
export const RETENTION_BATCH = 500;
const MESSAGE_PAGE = 1000;
/** The word an erasure must carry (EraseRequest). */
export const ERASE_CONFIRMATION = "erase";

/** One file of an archive: where it goes in the ZIP and the blob it is read from. */
export interface ArchiveFile {
  path: string;
  key: string;
}

/** What an export holds: one JSON document and the files; exportArchive.ts writes the ZIP. */
export interface ExportArchive {
  /** The download's name, e.g. `parley-contact-12.zip`. */
  filename: string;
  /** `contact.json` or `conversation.json`. */
  jsonName: string;
  json: unknown;
  files: ArchiveFile[];
}

export interface PrivacyOptions {
  store: Store;
  /** Absent: attachments are off; there are no files to read or delete. */
  blobs: BlobStore | undefined;
  events: Pick<ChatEvents, "conversationDeleted">;
  toWireContact: (contact: StoredContact) => Contact;
  audit: AuditTrail;
  /** The owner settings, as they are now. */
  settings: () => { retention_days: number };
  jobs: JobQueue | undefined;
  logger: Logger;
  now: () => Date;
}

/** A name in the archive: no folders, no control characters, never empty. */
export function archiveName(filename: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = filename.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]/g, "_").slice(0, 200);
  return clean === "" || clean === "." || clean === ".." ? "file" : clean;
}

function filePath(attachment: StoredAttachment): string {
  return `files/${attachment.id}-${archiveName(attachment.filename)}`;
}

export class Privacy {
  constructor(private readonly options: PrivacyOptions) {}

  // --- Export ---------------------------------------------------------------------------------

  async exportContact(contactIdValue: unknown, actor: AuditActor): Promise<ExportArchive> {
    const { store } = this.options;
    const contact = await store.getContact(validate.id(contactIdValue, "id"));
    if (contact === undefined) throw notFound("Contact");
    const conversations = await this.conversationsOfContact(contact.id);
    const tokens = await store.listContactTokens(contact.id);
    const contexts: VisitorContext[] = [];
    for (const token of tokens) {
      const visitor = await store.findVisitor(contact.siteId, token);
      if (visitor === undefined) continue;
      contexts.push(toWireContext(visitor, await store.listPageViews(visitor.id), true));
    }
    const files: ArchiveFile[] = [];
    const exported = [];
    for (const conversation of conversations)
      exported.push(await this.exportConversationBody(conversation, files));
    await this.record({
      action: "contact.exported",
      actor,
      targetType: "contact",
      targetId: contact.id,
      siteId: contact.siteId,
      details: { conversations: conversations.length, files: files.length },
    });
    return {
      filename: `parley-contact-${contact.id}.zip`,
      jsonName: "contact.json",
      json: {
        exported_at: this.options.now().toISOString(),
        contact: this.options.toWireContact(contact),
        visitor_contexts: contexts,
        conversations: exported,
      },
      files,
    };
  }

  async exportConversation(conversationIdValue: unknown, actor: AuditActor): Promise<ExportArchive> {
    const { store } = this.options;
    const conversation = await store.getConversation(validate.id(conversationIdValue, "id"));
    if (conversation === undefined) throw notFound("Conversation");
    const visitor = await store.findVisitor(conversation.siteId, conversation.visitorToken);
    const pages = visitor === undefined ? [] : await store.listPageViews(visitor.id);
    const files: ArchiveFile[] = [];
    const body = await this.exportConversationBody(conversation, files);
    await this.record({
      action: "conversation.exported",
      actor,
      targetType: "conversation",
      targetId: conversation.id,
      siteId: conversation.siteId,
      details: { files: files.length },
    });
    return {
      filename: `parley-conversation-${conversation.id}.zip`,
      jsonName: "conversation.json",
      json: {
        exported_at: this.options.now().toISOString(),
        conversation: body,
        visitor_context: toWireContext(visitor, pages, true),
      },
      files,
    };
  }

  /** The conversation, its messages with their files listed, and the team's notes (marked so). */
  private async exportConversationBody(conversation: StoredConversation, files: ArchiveFile[]) {
    const { store } = this.options;
    const messages = [];
    let afterId = 0;
    for (;;) {
      const page = await store.listMessages(conversation.id, { afterId, limit: MESSAGE_PAGE });
      const attachments = await store.listAttachmentsOfMessages(page.map((message) => message.id));
      for (const message of page) {
        const own = attachments.filter((attachment) => attachment.messageId === message.id);
        const listed = own.map((attachment) => {
          const path = filePath(attachment);
          files.push({ path, key: attachment.storageKey });
          return {
            id: attachment.id,
            filename: attachment.filename,
            content_type: attachment.contentType,
            byte_size: attachment.byteSize,
            path,
          };
        });
        messages.push({ ...toWireMessage(message), ...(listed.length > 0 ? { attachments: listed } : {}) });
      }
      if (page.length < MESSAGE_PAGE) break;
      afterId = page[page.length - 1]!.id;
    }
    const notes = await store.listNotes(conversation.id, MAX_NOTES_LISTED);
    return {
      ...toWireConversation(conversation, false),
      messages,
      // The team's own notes, never shown to the visitor: included because they are about them.
      notes: notes.map((note) => ({ ...toWireNote(note), internal: true })),
    };
  }

  // --- Erasure --------------------------------------------------------------------------------

  async eraseContact(contactIdValue: unknown, confirm: unknown, actor: AuditActor): Promise<EraseResponse> {
    const contactId = validate.id(contactIdValue, "id");
    requireConfirmation(confirm);
    const { store } = this.options;
    const contact = await store.getContact(contactId);
    if (contact === undefined) throw notFound("Contact");
    const conversations = await this.conversationsOfContact(contact.id);
    const tokens = await store.listContactTokens(contact.id);
    // Conversations of the contact's tokens that were never linked to it are theirs too.
    for (const token of tokens) {
      const more = await store.findConversationByToken(token);
      if (more !== undefined && !conversations.some((each) => each.id === more.id)) conversations.push(more);
    }
    const counts = await this.erase(conversations, {
      conversationIds: conversations.map((each) => each.id),
      contactIds: [contact.id],
      visitorTokens: tokens,
    });
    await this.record({
      action: "contact.erased",
      actor,
      targetType: "contact",
      targetId: contact.id,
      siteId: contact.siteId,
      details: { ...counts },
    });
    return counts;
  }

  async eraseConversation(
    conversationIdValue: unknown,
    confirm: unknown,
    actor: AuditActor,
  ): Promise<EraseResponse> {
    const conversationId = validate.id(conversationIdValue, "id");
    requireConfirmation(confirm);
    const conversation = await this.options.store.getConversation(conversationId);
    if (conversation === undefined) throw notFound("Conversation");
    const counts = await this.erase([conversation], {
      conversationIds: [conversation.id],
      contactIds: [],
      visitorTokens: [conversation.visitorToken],
    });
    await this.record({
      action: "conversation.erased",
      actor,
      targetType: "conversation",
      targetId: conversation.id,
      siteId: conversation.siteId,
      details: { ...counts },
    });
    return counts;
  }

  /**
   * Blobs, then rows, then the agents' notices. A failed blob delete stops before any row goes;
   * a file sent meanwhile (its row deleted with the rest) has its blobs deleted after the commit.
   */
  private async erase(conversations: StoredConversation[], scope: ErasureScope): Promise<ErasedCounts> {
    const { store, blobs, events } = this.options;
    const keysOf = (row: StoredAttachment) =>
      row.thumbnailKey === null ? [row.storageKey] : [row.storageKey, row.thumbnailKey];
    const listed = new Set((await store.listErasableAttachments(scope)).flatMap(keysOf));
    if (blobs !== undefined && listed.size > 0) await blobs.delete([...listed]);
    const { counts, blobKeys } = await store.eraseRecords(scope);
    const late = blobKeys.filter((key) => !listed.has(key));
    if (blobs !== undefined && late.length > 0) {
      await blobs.delete(late).catch((error: unknown) => {
        this.options.logger.error({ err: error, keys: late.length }, "deleting an erased file failed");
      });
    }
    for (const conversation of conversations) await events.conversationDeleted(conversation);
    return counts;
  }

  private async conversationsOfContact(contactId: number): Promise<StoredConversation[]> {
    const all: StoredConversation[] = [];
    let before: { updatedAt: string; id: number } | undefined;
    for (;;) {
      const page = await this.options.store.listConversations({
        contactId,
        limit: 200,
        ...(before === undefined ? {} : { before }),
      });
      all.push(...page);
      if (page.length < 200) return all;
      const last = page[page.length - 1]!;
      before = { updatedAt: last.updatedAt, id: last.id };
    }
  }

  // --- Retention ------------------------------------------------------------------------------

  /**
   * Deletes the resolved conversations whose last message is older than `retention_days`, in
   * batches of RETENTION_BATCH. One audit entry when anything was deleted. (The audit log's own
   * cleanup, `audit_log_days`, is chat/auditLog.ts's job.)
   */
  async runRetention(): Promise<ErasedCounts> {
    const total: ErasedCounts = { conversations: 0, messages: 0, files: 0, contacts: 0 };
    const { retention_days: days } = this.options.settings();
    const now = this.options.now().getTime();
    if (days > 0) {
      const cutoff = new Date(now - days * DAY_MS).toISOString();
      for (;;) {
        const ids = await this.options.store.listExpiredConversations(cutoff, RETENTION_BATCH);
        if (ids.length === 0) break;
        const conversations: StoredConversation[] = [];
        for (const id of ids) {
          const conversation = await this.options.store.getConversation(id);
          if (conversation !== undefined) conversations.push(conversation);
        }
        const counts = await this.erase(conversations, {
          conversationIds: ids,
          contactIds: [],
          visitorTokens: conversations.map((each) => each.visitorToken),
          visitorsSeenBefore: cutoff,
        });
        total.conversations += counts.conversations;
        total.messages += counts.messages;
        total.files += counts.files;
        if (ids.length < RETENTION_BATCH) break;
      }
      if (total.conversations > 0) {
        await this.record({
          action: "retention.deleted",
          actor: { kind: "system" },
          details: { conversations: total.conversations, messages: total.messages, files: total.files, days },
        });
      }
    }
    return total;
  }

  /**
   * The daily job: schedules the next run a day later first (so a run that keeps failing until
   * it is given up does not end the daily runs), then runs.
   */
  retentionHandler(): JobHandler {
    return {
      maxAttempts: 5,
      run: async () => {
        await this.scheduleRetention(new Date(this.options.now().getTime() + DAY_MS));
        await this.runRetention();
        return { kind: "done" };
      },
    };
  }

  /** At boot (now) and after each run (+24 h); the dedupe key keeps one run waiting at a time. */
  async scheduleRetention(runAt: Date = this.options.now()): Promise<void> {
    await this.options.jobs?.enqueue(RETENTION_JOB, {}, { runAt, dedupeKey: RETENTION_JOB });
  }

  /** A trail that fails is logged, never undoes what was done (auditTrail.ts). */
  private async record(entry: Parameters<AuditTrail["record"]>[0]): Promise<void> {
    try {
      await this.options.audit.record(entry);
    } catch (error) {
      this.options.logger.error({ err: error, action: entry.action }, "recording an audit entry failed");
    }
  }
}

function requireConfirmation(value: unknown): void {
  if (value !== ERASE_CONFIRMATION) {
    throw new ChatError("invalid", `confirm must be "${ERASE_CONFIRMATION}": erasing cannot be undone`);
  }
}
