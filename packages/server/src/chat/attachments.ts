/**
 * Files in the chat: an upload is checked (files/inspectUpload.ts), stored as blobs with a row
 * that says what it is, and later claimed by exactly one message, in that message's
 * transaction. Uploads nobody attached within a day, and files of deleted conversations, are
 * swept. The blob store, the checks and the URL signing are handed in: chat/ only decides.
 */
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import type { Attachment, Message } from "@parley/protocol";
import type { BlobStore } from "../files/blobStore.js";
import type { Refusal, UploadCandidate, UploadInspector } from "../files/inspectUpload.js";
import type { FileVariant } from "../files/signedUrls.js";
import { AttachmentsUnavailableError, UploadQuotaExceededError } from "../store/errors.js";
import type {
  AttachmentClaim,
  HeldUploads,
  NewFirstMessage,
  NewMessage,
  StoredAttachment,
  StoredConversation,
  StoredMessage,
} from "../store/store.js";
import type { ChatContext } from "./context.js";
import { ChatError, invalid, TooManyError } from "./errors.js";
import { toWireMessage } from "./toWire.js";

/** An upload not attached within this long is removed (and can no longer be attached). */
export const UNATTACHED_LIFETIME_MS = 24 * 60 * 60 * 1000;
const SWEEP_BATCH = 100;
/** How often every node sweeps (chat.ts): an expired upload is gone within this much more. */
const SWEEP_INTERVAL_MS = 60_000;

/** A visitor is known by a token of their own making, so their address is limited too. */
export type Uploader =
  { kind: "visitor"; token: string; address: string } | { kind: "agent"; agentId: number };

export interface UploadLimits {
  /** Bytes one address may hold in uploads no message carries yet; 0: no cap. */
  heldBytesPerAddress: number;
}

export interface AttachmentFiles {
  blobs: BlobStore;
  inspect: UploadInspector;
  /** A URL that shows the file without cookies and expires (files/signedUrls.ts). */
  link(id: number, variant: FileVariant): string;
}

const REFUSALS: Record<Refusal, () => ChatError> = {
  empty: () => invalid("The file is empty"),
  not_allowed: () =>
    new ChatError(
      "unsupported",
      "This type of file is not allowed (PNG, JPEG, GIF, WebP, PDF or plain text)",
    ),
  mismatch: () => new ChatError("unsupported", "The file's contents do not match its name or type"),
  unreadable: () => new ChatError("unsupported", "The image could not be read"),
};

const notEnabled = (): ChatError =>
  new ChatError("unsupported", "Attachments are not enabled on this server");

export class Attachments {
  constructor(
    private readonly chat: ChatContext,
    /** Absent where no files are served (the CLI): uploads and claims are refused. */
    private readonly files: AttachmentFiles | undefined,
    private readonly limits: UploadLimits = { heldBytesPerAddress: 0 },
  ) {}

  /**
   * Asked before an upload's body is read; throws TooManyError. A visitor's upload counts as
   * one of their messages and against their address's hourly allowance, and the
   * address must have room for at least `minimumBytes` more in what it holds unattached (the
   * exact check is made when the upload is stored). Agents are not limited.
   */
  async admitUpload(uploader: Uploader, minimumBytes = 0): Promise<void> {
    if (uploader.kind === "agent") return;
    for (const result of [
      await this.chat.limits.messages.take(uploader.token),
      await this.chat.limits.uploads.take(uploader.address),
    ]) {
      if (!result.ok) throw new TooManyError("Too many uploads, try again shortly", result.retryAfterMs);
    }
    const cap = this.limits.heldBytesPerAddress;
    if (cap === 0) return;
    const held = await this.chat.store.heldUploads(uploader.address);
    if (held.bytes + Math.max(1, minimumBytes) > cap) throw this.holdingTooMuch(held);
  }

  /** Checks and keeps an upload (call admitUpload first); throws a ChatError saying why not. */
  async upload(uploader: Uploader, candidate: UploadCandidate): Promise<Attachment> {
    const files = this.requireFiles();
    const inspection = await files.inspect(candidate);
    if (!inspection.ok) {
      if (inspection.cause !== undefined) {
        this.chat.logger.info(
          { err: inspection.cause, refusal: inspection.refusal, byteSize: candidate.byteSize },
          "upload refused",
        );
      }
      throw REFUSALS[inspection.refusal]();
    }
    const { file } = inspection;
    const key = randomBytes(16).toString("hex");
    // Two levels of folders keep any one directory small on disk.
    const storageKey = `${key.slice(0, 2)}/${key}`;
    const thumbnailKey = file.thumbnail === undefined ? null : `${storageKey}-thumb.webp`;
    const keys = thumbnailKey === null ? [storageKey] : [storageKey, thumbnailKey];
    const cap = this.limits.heldBytesPerAddress;
    // Checked again as the row is stored: uploads of one address may be in flight on any node.
    const quota = uploader.kind === "visitor" && cap > 0 ? { maxHeldBytes: cap } : undefined;
    try {
      await files.blobs.put(storageKey, file.body(), {
        contentType: file.contentType,
        byteSize: file.byteSize,
      });
      if (thumbnailKey !== null && file.thumbnail !== undefined) {
        await files.blobs.put(thumbnailKey, file.thumbnail, {
          contentType: "image/webp",
          byteSize: file.thumbnail.length,
        });
      }
      const row = await this.chat.store.createAttachment(
        {
          storageKey,
          thumbnailKey,
          filename: file.filename,
          contentType: file.contentType,
          byteSize: file.byteSize,
          width: file.width ?? null,
          height: file.height ?? null,
          uploadedBy: uploader.kind,
          visitorToken: uploader.kind === "visitor" ? uploader.token : null,
          agentId: uploader.kind === "agent" ? uploader.agentId : null,
          uploaderIp: uploader.kind === "visitor" ? uploader.address : null,
          at: this.chat.now().toISOString(),
        },
        quota,
      );
      return this.toWire(row);
    } catch (error) {
      await files.blobs.delete(keys).catch((cleanup: unknown) => {
        this.chat.logger.warn(
          { err: cleanup },
          "could not remove the blobs of a failed upload; the sweep will not see them",
        );
      });
      throw error instanceof UploadQuotaExceededError ? this.holdingTooMuch(error.held) : error;
    }
  }

  /** Room comes back as uploads are attached, or when the oldest is swept (Retry-After). */
  private holdingTooMuch(held: HeldUploads): TooManyError {
    const megabytes = Math.floor(this.limits.heldBytesPerAddress / (1024 * 1024));
    const swept =
      held.oldestAt === null ? 0 : Date.parse(held.oldestAt) + UNATTACHED_LIFETIME_MS + SWEEP_INTERVAL_MS;
    return new TooManyError(
      `Too many unsent files from your address (max ${megabytes} MB): send them, or try again later`,
      Math.max(1000, swept - this.chat.now().getTime()),
    );
  }

  /** What a new message may claim: a visitor their own uploads, an agent any agent's. */
  claim(ids: number[], uploader: AttachmentClaim["uploader"]): AttachmentClaim | undefined {
    if (ids.length === 0) return undefined;
    if (this.files === undefined) throw notEnabled();
    const createdSince = new Date(this.chat.now().getTime() - UNATTACHED_LIFETIME_MS).toISOString();
    return { ids, uploader, createdSince };
  }

  /** store.appendMessage, with the claim's refusal as the sender's error. */
  appendMessage(
    input: NewMessage,
  ): Promise<{ message: StoredMessage; created: boolean; attachments: Attachment[] }> {
    return this.wired(this.chat.store.appendMessage(input));
  }

  /** store.appendFirstMessage (the conversation is created with it), the same way. */
  appendFirstMessage(input: NewFirstMessage): Promise<{
    conversation: StoredConversation;
    message: StoredMessage;
    created: boolean;
    attachments: Attachment[];
  }> {
    return this.wired(this.chat.store.appendFirstMessage(input));
  }

  private async wired<R extends { attachments: StoredAttachment[] }>(
    appended: Promise<R>,
  ): Promise<Omit<R, "attachments"> & { attachments: Attachment[] }> {
    try {
      const result = await appended;
      return { ...result, attachments: result.attachments.map((row) => this.toWire(row)) };
    } catch (error) {
      // Missing, someone else's, already attached or expired: one answer, so ids reveal nothing.
      if (error instanceof AttachmentsUnavailableError)
        throw invalid("Attachment not found (upload it again)");
      throw error;
    }
  }

  /** Wire messages with their attachments, in one query for the whole page. */
  async toWireMessages(messages: StoredMessage[]): Promise<Message[]> {
    if (messages.length === 0 || this.files === undefined)
      return messages.map((message) => toWireMessage(message));
    const rows = await this.chat.store.listAttachmentsOfMessages(messages.map((message) => message.id));
    const byMessage = new Map<number, Attachment[]>();
    for (const row of rows) {
      if (row.messageId === null) continue;
      const list = byMessage.get(row.messageId) ?? [];
      list.push(this.toWire(row));
      byMessage.set(row.messageId, list);
    }
    return messages.map((message) => toWireMessage(message, byMessage.get(message.id)));
  }

  /** The blob behind a (verified) signed URL; undefined when gone. */
  async open(
    id: number,
    variant: FileVariant,
  ): Promise<{ attachment: StoredAttachment; body: Readable } | undefined> {
    const attachment = await this.chat.store.getAttachment(id);
    const key = variant === "file" ? attachment?.storageKey : attachment?.thumbnailKey;
    if (attachment === undefined || key === undefined || key === null || this.files === undefined)
      return undefined;
    const body = await this.files.blobs.get(key);
    return body && { attachment, body };
  }

  /**
   * Removes the files of deleted messages and uploads never attached within a day: blobs first,
   * then rows, so a crash in between leaves rows that the next sweep finds again.
   */
  async sweep(): Promise<number> {
    if (this.files === undefined) return 0;
    let removed = 0;
    for (;;) {
      const cutoff = new Date(this.chat.now().getTime() - UNATTACHED_LIFETIME_MS).toISOString();
      const rows = await this.chat.store.listDiscardableAttachments(cutoff, SWEEP_BATCH);
      if (rows.length === 0) return removed;
      await this.files.blobs.delete(
        rows.flatMap((row) =>
          row.thumbnailKey === null ? [row.storageKey] : [row.storageKey, row.thumbnailKey],
        ),
      );
      removed += await this.chat.store.deleteAttachments(rows.map((row) => row.id));
      if (rows.length < SWEEP_BATCH) return removed;
    }
  }

  toWire(row: StoredAttachment): Attachment {
    const files = this.requireFiles();
    const attachment: Attachment = {
      id: row.id,
      filename: row.filename,
      content_type: row.contentType,
      byte_size: row.byteSize,
      url: files.link(row.id, "file"),
    };
    if (row.thumbnailKey !== null) attachment.thumbnail_url = files.link(row.id, "thumbnail");
    if (row.width !== null) attachment.width = row.width;
    if (row.height !== null) attachment.height = row.height;
    return attachment;
  }

  private requireFiles(): AttachmentFiles {
    if (this.files === undefined) throw notEnabled();
    return this.files;
  }
}
