/** Attachments: uploaded once, claimed by one message in its transaction, swept when detached. */
import type { Kysely, Transaction } from "kysely";
import { AttachmentsUnavailableError } from "../errors.js";
import { toAttachment } from "../rows.js";
import type { Database } from "../schema.js";
import type { AttachmentClaim, StoredAttachment, Store } from "../store.js";

export type AttachmentQueries = Pick<
  Store,
  | "createAttachment"
  | "getAttachment"
  | "getAttachments"
  | "listAttachmentsOfMessages"
  | "listDiscardableAttachments"
  | "deleteAttachments"
>;

export function attachmentQueries(db: Kysely<Database>): AttachmentQueries {
  return {
    async createAttachment(input) {
      const row = await db
        .insertInto("attachments")
        .values({
          storage_key: input.storageKey,
          thumbnail_key: input.thumbnailKey,
          filename: input.filename,
          content_type: input.contentType,
          byte_size: input.byteSize,
          width: input.width,
          height: input.height,
          uploaded_by: input.uploadedBy,
          visitor_token: input.visitorToken,
          agent_id: input.agentId,
          created_at: input.at,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toAttachment(row);
    },

    async getAttachment(id) {
      const row = await db.selectFrom("attachments").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toAttachment(row);
    },

    async getAttachments(ids) {
      if (ids.length === 0) return [];
      const rows = await db.selectFrom("attachments").selectAll().where("id", "in", ids).orderBy("id").execute();
      return rows.map(toAttachment);
    },

    async listAttachmentsOfMessages(messageIds) {
      if (messageIds.length === 0) return [];
      const rows = await db
        .selectFrom("attachments")
        .selectAll()
        .where("message_id", "in", messageIds)
        .orderBy("message_id")
        .orderBy("id")
        .execute();
      return rows.map(toAttachment);
    },

    async listDiscardableAttachments(unattachedBefore, limit) {
      const rows = await db
        .selectFrom("attachments")
        .selectAll()
        .where("message_id", "is", null)
        .where((eb) => eb.or([eb("attached_at", "is not", null), eb("created_at", "<", unattachedBefore)]))
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toAttachment);
    },

    async deleteAttachments(ids) {
      if (ids.length === 0) return 0;
      const result = await db.deleteFrom("attachments").where("id", "in", ids).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/**
 * Links the claimed uploads to a new message, inside appendMessage's transaction. One conditional
 * UPDATE decides every row at once, so of two messages claiming one upload only one matches it;
 * a short count throws, rolling the message back with it.
 */
export async function claimAttachments(
  trx: Transaction<Database>,
  messageId: number,
  claim: AttachmentClaim,
  at: string,
): Promise<StoredAttachment[]> {
  const ids = [...new Set(claim.ids)];
  if (ids.length === 0) return [];
  const { uploader } = claim;
  const rows = await trx
    .updateTable("attachments")
    .set({ message_id: messageId, attached_at: at })
    .where("id", "in", ids)
    .where("message_id", "is", null)
    .where("attached_at", "is", null)
    .where("created_at", ">=", claim.createdSince)
    .$if(uploader.kind === "visitor", (update) =>
      update.where("uploaded_by", "=", "visitor").where("visitor_token", "=", uploader.kind === "visitor" ? uploader.token : ""),
    )
    .$if(uploader.kind === "agent", (update) => update.where("uploaded_by", "=", "agent"))
    .returningAll()
    .execute();
  if (rows.length !== ids.length) throw new AttachmentsUnavailableError();
  return rows.map(toAttachment).sort((a, b) => a.id - b.id);
}

/** A stored message's attachments (a retried send answers with the first send's). */
export async function attachmentsOfMessage(trx: Transaction<Database>, messageId: number): Promise<StoredAttachment[]> {
  const rows = await trx.selectFrom("attachments").selectAll().where("message_id", "=", messageId).orderBy("id").execute();
  return rows.map(toAttachment);
}
