/** Attachments: uploaded once, claimed by one message in its transaction, swept when detached. */
import { sql, type Kysely, type Selectable, type Transaction } from "kysely";
import { AttachmentsUnavailableError, UploadQuotaExceededError } from "../errors.js";
import { toAttachment } from "../rows.js";
import type { AttachmentsTable, Database, Engine } from "../schema.js";
import type { AttachmentClaim, HeldUploads, NewAttachment, StoredAttachment, Store } from "../store.js";

/**
 * First key of the Postgres advisory lock that makes one address's quota check and insert one
 * step across nodes (the second key is a hash of the address). Two-key locks never collide with
 * the one-key lock of message order (messages.ts). "upld" in ASCII.
 */
const UPLOAD_QUOTA_LOCK_CLASS = 0x75706c64;

export type AttachmentQueries = Pick<
  Store,
  | "createAttachment"
  | "heldUploads"
  | "getAttachment"
  | "getAttachments"
  | "listAttachmentsOfMessages"
  | "listDiscardableAttachments"
  | "deleteAttachments"
>;

async function heldBy(
  db: Kysely<Database> | Transaction<Database>,
  uploaderIp: string,
): Promise<HeldUploads> {
  const row = await db
    .selectFrom("attachments")
    .select((eb) => [
      eb.fn.sum<number | null>("byte_size").as("bytes"),
      eb.fn.min("created_at").as("oldest_at"),
    ])
    .where("uploader_ip", "=", uploaderIp)
    .where("attached_at", "is", null)
    .executeTakeFirstOrThrow();
  return { bytes: Number(row.bytes ?? 0), oldestAt: row.oldest_at };
}

async function insertAttachment(
  db: Kysely<Database> | Transaction<Database>,
  input: NewAttachment,
): Promise<StoredAttachment> {
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
      uploader_ip: input.uploaderIp,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAttachment(row);
}

export function attachmentQueries(db: Kysely<Database>, engine: Engine): AttachmentQueries {
  return {
    async createAttachment(input, quota) {
      const { uploaderIp } = input;
      if (quota === undefined || uploaderIp === null) return insertAttachment(db, input);
      // SQLite: the transaction holds this process's only connection, so no other check of
      // this node runs in between. Postgres: the advisory lock serialises the address's uploads
      // on every node until commit.
      return db.transaction().execute(async (trx) => {
        if (engine === "postgres") {
          await sql`select pg_advisory_xact_lock(${UPLOAD_QUOTA_LOCK_CLASS}, hashtext(${uploaderIp}))`.execute(
            trx,
          );
        }
        const held = await heldBy(trx, uploaderIp);
        if (held.bytes + input.byteSize > quota.maxHeldBytes) throw new UploadQuotaExceededError(held);
        return insertAttachment(trx, input);
      });
    },

    heldUploads: (uploaderIp) => heldBy(db, uploaderIp),

    async getAttachment(id) {
      const row = await db.selectFrom("attachments").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toAttachment(row);
    },

    async getAttachments(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom("attachments")
        .selectAll()
        .where("id", "in", ids)
        .orderBy("id")
        .execute();
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
  return claimedInOrder(await claimStatement(trx, messageId, claim, at, ids).execute(), ids);
}

/**
 * claimAttachments' UPDATE for `ids` (the claim's, deduplicated, not empty). Built per claim,
 * since the list of ids is part of its shape; the synchronous append (sqliteAppend.ts) compiles
 * it and runs it itself.
 */
export function claimStatement(
  db: Kysely<Database> | Transaction<Database>,
  messageId: number,
  claim: AttachmentClaim,
  at: string,
  ids: number[],
) {
  const { uploader } = claim;
  return (
    db
      .updateTable("attachments")
      // The address is needed only while the upload waits: it goes once a message carries it.
      .set({ message_id: messageId, attached_at: at, uploader_ip: null })
      .where("id", "in", ids)
      .where("message_id", "is", null)
      .where("attached_at", "is", null)
      .where("created_at", ">=", claim.createdSince)
      .$if(uploader.kind === "visitor", (update) =>
        update
          .where("uploaded_by", "=", "visitor")
          .where("visitor_token", "=", uploader.kind === "visitor" ? uploader.token : ""),
      )
      .$if(uploader.kind === "agent", (update) => update.where("uploaded_by", "=", "agent"))
      .returningAll()
  );
}

/** The claimed rows, by id; fewer than claimed means one is not available, and the append fails. */
export function claimedInOrder(rows: Selectable<AttachmentsTable>[], ids: number[]): StoredAttachment[] {
  if (rows.length !== ids.length) throw new AttachmentsUnavailableError();
  return rows.map(toAttachment).sort((a, b) => a.id - b.id);
}

/** A stored message's attachments (a retried send answers with the first send's). */
export async function attachmentsOfMessage(
  trx: Transaction<Database>,
  messageId: number,
): Promise<StoredAttachment[]> {
  const rows = await messageAttachmentsStatement(trx, messageId).execute();
  return rows.map(toAttachment);
}

export function messageAttachmentsStatement(db: Kysely<Database> | Transaction<Database>, messageId: number) {
  return db.selectFrom("attachments").selectAll().where("message_id", "=", messageId).orderBy("id");
}
