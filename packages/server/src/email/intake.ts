/**
 * What becomes of one mail the reply mailbox holds (protocol §16): taken as the visitor's
 * message, or ignored with a reason; either way recorded by its Message-ID, once.
 *
 * A mail is taken when it names a conversation, by a recipient that is a valid tagged reply
 * address or by an In-Reply-To/References naming an email Parley sent, AND it comes from the
 * address that conversation's emails went to (or its contact's current email): a tag or a
 * Message-ID alone could have been forwarded to anyone. Auto-replies and bounces never are.
 * chat/ knows nothing of email: the intake hands it text and uploads like any visitor's.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type { AddressObject, Attachment as MailAttachment, ParsedMail } from "mailparser";
import { MAX_ATTACHMENTS, type Attachment, type Message } from "@parley/protocol";
import type { Uploader } from "../chat/attachments.js";
import type { UploadCandidate } from "../files/inspectUpload.js";
import type { Store, StoredConversation } from "../store/store.js";
import type { ReplyAddresses } from "./replyAddress.js";
import { messageContent, replyText } from "./replyText.js";

/** What the intake needs of chat: a visitor's upload and a visitor's answer. */
export interface AnswerPort {
  upload(uploader: Uploader, candidate: UploadCandidate): Promise<Attachment>;
  postAnswer(input: {
    conversationId: number;
    content: string;
    attachmentIds: number[];
    via: "email";
    /** Names the answer: posted again, the stored message comes back, nothing is published. */
    clientId: string;
  }): Promise<{ message: Message; created: boolean }>;
}

export type IgnoredReason = "auto_reply" | "no_conversation" | "wrong_sender" | "empty" | "too_large";

export type IntakeResult =
  | { kind: "taken"; conversationId: number; messageId: number }
  | { kind: "ignored"; reason: IgnoredReason; conversationId: number | null }
  /** Its Message-ID was looked at before: nothing done. */
  | { kind: "seen_before" };

export interface EmailIntakeOptions {
  store: Pick<
    Store,
    | "findInboundEmail"
    | "recordInboundEmail"
    | "sentEmailRecipients"
    | "emailAddressesOfConversation"
    | "getConversation"
    | "getContact"
  >;
  addresses: ReplyAddresses;
  chat: AnswerPort;
  logger: Logger;
  /** The largest file kept (the owner's upload size), read for each mail. */
  maxUploadBytes: () => number;
  /** Where attachments wait while they are checked (private, like the uploads' own). */
  tempDir: string;
  now?: () => Date;
}

/** How long a stored Message-ID may be: the header is the sender's to fill. */
const MAX_MESSAGE_ID_LENGTH = 250;

export class EmailIntake {
  private readonly now: () => Date;

  constructor(private readonly options: EmailIntakeOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The key a mail is taken once by: its Message-ID, else a digest of its bytes. */
  static messageIdOf(mail: Pick<ParsedMail, "messageId">, source: Buffer): string {
    const given = mail.messageId?.trim();
    if (given !== undefined && given !== "" && given.length <= MAX_MESSAGE_ID_LENGTH) return given;
    return `<${createHash("sha256").update(source).digest("hex")}@no-message-id.invalid>`;
  }

  /** The answer's client_id: the same for the same mail, within the protocol's 64 characters. */
  static clientIdOf(messageId: string): string {
    return `email-${createHash("sha256").update(messageId).digest("base64url")}`;
  }

  /** A mail too large to read: recorded as ignored by the Message-ID its envelope gave. */
  async tooLarge(messageId: string): Promise<IntakeResult> {
    return this.ignore(messageId, "too_large", null);
  }

  async take(mail: ParsedMail, source: Buffer): Promise<IntakeResult> {
    const messageId = EmailIntake.messageIdOf(mail, source);
    const { store, logger } = this.options;
    if ((await store.findInboundEmail(messageId)) !== undefined) return { kind: "seen_before" };
    if (isAutomatic(mail)) return this.ignore(messageId, "auto_reply", null);

    const candidates = await this.conversationsNamed(mail);
    if (candidates.length === 0) return this.ignore(messageId, "no_conversation", null);
    const from = mail.from?.value[0]?.address?.trim().toLowerCase();
    let conversation: StoredConversation | undefined;
    let named: number | null = null;
    for (const id of candidates) {
      const found = await store.getConversation(id);
      // A tag or Message-ID of a conversation deleted since names nothing.
      if (found === undefined) continue;
      named ??= found.id;
      if (from !== undefined && (await this.senders(found)).has(from)) {
        conversation = found;
        break;
      }
    }
    if (named === null) return this.ignore(messageId, "no_conversation", null);
    if (conversation === undefined) return this.ignore(messageId, "wrong_sender", named);

    const text = await replyText(mail);
    const files = mail.attachments.filter((file) => !file.related);
    if (text === "" && files.length === 0) return this.ignore(messageId, "empty", conversation.id);

    // Posted first, then recorded: a crash between the two leaves the mail unrecorded, and read
    // again it posts under the same client_id, which gives back the stored message. Recorded
    // first, the same crash would have lost the answer.
    const { kept, notes } = await this.keepFiles(conversation, files);
    const { message, created } = await this.options.chat.postAnswer({
      conversationId: conversation.id,
      content: messageContent(text, notes),
      attachmentIds: kept,
      via: "email",
      clientId: EmailIntake.clientIdOf(messageId),
    });
    await store.recordInboundEmail({
      messageId,
      conversationId: conversation.id,
      outcome: "taken",
      reason: null,
      at: this.now().toISOString(),
    });
    logger.info(
      { conversation: conversation.id, message: message.id, files: kept.length, dropped: notes.length },
      created ? "email answer taken" : "email answer already posted (read again after a crash)",
    );
    return { kind: "taken", conversationId: conversation.id, messageId: message.id };
  }

  /** The conversations a mail names: by tagged recipient first, then by the headers it answers. */
  private async conversationsNamed(mail: ParsedMail): Promise<number[]> {
    const ids: number[] = [];
    for (const address of recipients(mail)) {
      const id = this.options.addresses.conversationOf(address);
      if (id !== undefined && !ids.includes(id)) ids.push(id);
    }
    const answered = [
      ...(mail.inReplyTo === undefined ? [] : messageIdsIn(mail.inReplyTo)),
      ...[mail.references ?? []].flat().flatMap(messageIdsIn),
    ];
    for (const sent of await this.options.store.sentEmailRecipients(answered)) {
      if (!ids.includes(sent.conversationId)) ids.push(sent.conversationId);
    }
    return ids;
  }

  /** Who may answer into a conversation: where its emails went, and its contact's email now. */
  private async senders(conversation: StoredConversation): Promise<Set<string>> {
    const addresses = await this.options.store.emailAddressesOfConversation(conversation.id);
    if (conversation.contactId !== null) {
      const contact = await this.options.store.getContact(conversation.contactId);
      if (contact?.email) addresses.push(contact.email);
    }
    return new Set(addresses.map((address) => address.trim().toLowerCase()));
  }

  /**
   * The files §9 allows, stored as the visitor's uploads (at most MAX_ATTACHMENTS, each within
   * the upload size); a note for each one left out, so the agent knows it was sent.
   */
  private async keepFiles(
    conversation: StoredConversation,
    files: MailAttachment[],
  ): Promise<{ kept: number[]; notes: string[] }> {
    const kept: number[] = [];
    const notes: string[] = [];
    if (files.length === 0) return { kept, notes };
    const uploader: Uploader = { kind: "visitor", token: conversation.visitorToken, address: "email" };
    const dir = await mkdtemp(join(this.options.tempDir, "email-"));
    try {
      for (const [index, file] of files.entries()) {
        const name = displayName(file, index);
        if (kept.length >= MAX_ATTACHMENTS) {
          notes.push(`[Not attached: ${name} (at most ${MAX_ATTACHMENTS} files)]`);
          continue;
        }
        if (file.size > this.options.maxUploadBytes()) {
          notes.push(`[Not attached: ${name} (too large)]`);
          continue;
        }
        const path = join(dir, String(index));
        await writeFile(path, file.content);
        try {
          const attachment = await this.options.chat.upload(uploader, {
            path,
            byteSize: file.content.length,
            filename: file.filename,
            claimedType: file.contentType,
          });
          kept.push(attachment.id);
        } catch (error) {
          this.options.logger.info(
            { err: error, conversation: conversation.id, contentType: file.contentType },
            "email attachment refused",
          );
          notes.push(`[Not attached: ${name} (file type not allowed)]`);
        } finally {
          await rm(path, { force: true });
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return { kept, notes };
  }

  private async ignore(
    messageId: string,
    reason: IgnoredReason,
    conversationId: number | null,
  ): Promise<IntakeResult> {
    const recorded = await this.options.store.recordInboundEmail({
      messageId,
      conversationId,
      outcome: "ignored",
      reason,
      at: this.now().toISOString(),
    });
    if (!recorded) return { kind: "seen_before" };
    this.options.logger.info({ messageId, reason, conversation: conversationId }, "email ignored");
    return { kind: "ignored", reason, conversationId };
  }
}

/**
 * Mail no person wrote: RFC 3834's Auto-Submitted (anything but `no`), the vendors' own
 * auto-reply headers, and bounces (from the mailer daemon, or a delivery report).
 */
export function isAutomatic(mail: Pick<ParsedMail, "headers" | "from">): boolean {
  const header = (name: string): string => {
    const value = mail.headers.get(name);
    return typeof value === "string" ? value.trim().toLowerCase() : value === undefined ? "" : "present";
  };
  const autoSubmitted = header("auto-submitted");
  if (autoSubmitted !== "" && !autoSubmitted.startsWith("no")) return true;
  if (header("x-autoreply") !== "" || header("x-autorespond") !== "") return true;
  if (["auto_reply", "bulk", "junk"].includes(header("precedence"))) return true;
  const from = mail.from?.value[0]?.address?.toLowerCase() ?? "";
  if (/^(mailer-daemon|postmaster)@/.test(from)) return true;
  const contentType = mail.headers.get("content-type");
  const type =
    typeof contentType === "object" && contentType !== null && "value" in contentType
      ? contentType.value
      : undefined;
  return typeof type === "string" && type.toLowerCase() === "multipart/report";
}

/** Every address the mail was sent to: To, Cc and the Delivered-To lines of the receiving hosts. */
function recipients(mail: ParsedMail): string[] {
  const objects: AddressObject[] = [mail.to ?? [], mail.cc ?? []].flat();
  const addresses = objects.flatMap((object) =>
    object.value.flatMap((entry) => [entry, ...(entry.group ?? [])]).map((entry) => entry.address ?? ""),
  );
  // Read raw: mailparser gives Delivered-To as a string or an address object by how it looks.
  for (const { key, line } of mail.headerLines) {
    if (key !== "delivered-to") continue;
    addresses.push(...(line.slice(line.indexOf(":") + 1).match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? []));
  }
  return addresses.filter((address) => address !== "");
}

/** The `<…>` Message-IDs in a header's text. */
function messageIdsIn(text: string): string[] {
  return text.match(/<[^<>\s]+>/g) ?? [];
}

function displayName(file: MailAttachment, index: number): string {
  const name = (file.filename ?? "").replace(/[\r\n[\]]/g, " ").trim();
  return name === "" ? `file ${index + 1}` : name.slice(0, 100);
}
