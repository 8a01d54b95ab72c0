/** Contacts (protocol §12): the people a site's agents talk to, verified or only claimed. */
import type { Kysely, Updateable } from "kysely";
import { isUniqueViolation, UniqueViolationError } from "../errors.js";
import { lookupsPerTurn } from "../lookupsPerTurn.js";
import { toContact } from "../rows.js";
import type { ContactsTable, Database, Engine } from "../schema.js";
import type { ContactPatch, Store } from "../store.js";
import { preparedInList } from "./prepared.js";
import { containsIgnoringCase } from "./search.js";

export type ContactQueries = Pick<
  Store,
  "getContact" | "findVerifiedContact" | "createContact" | "updateContact" | "listContacts" | "mergeContacts"
>;

/** The partial unique index of migration 007: one verified contact per (site, external id). */
async function uniquely<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new UniqueViolationError("a verified contact with this id", { cause: error });
    throw error;
  }
}

export function contactQueries(db: Kysely<Database>, engine: Engine): ContactQueries {
  const readContact = async (id: number) => {
    const row = await db.selectFrom("contacts").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toContact(row);
  };
  // An identified visitor's first message reads its contact: on Postgres the reads of one turn go
  // in one statement, as the visitors' (lookupsPerTurn.ts).
  const byIds = preparedInList<number>()((ids) =>
    db.selectFrom("contacts").selectAll().where("id", "in", ids),
  );
  const getContact =
    engine === "postgres"
      ? lookupsPerTurn(
          async (ids: number[]) => (await byIds(db, ids)).map(toContact),
          (contact) => contact.id,
        )
      : readContact;

  return {
    getContact,

    async findVerifiedContact(siteId, externalId) {
      const row = await db
        .selectFrom("contacts")
        .selectAll()
        .where("site_id", "=", siteId)
        .where("external_id", "=", externalId)
        .where("verified", "=", 1)
        .executeTakeFirst();
      return row && toContact(row);
    },

    createContact: (input) =>
      uniquely(async () => {
        const row = await db
          .insertInto("contacts")
          .values({
            site_id: input.siteId,
            external_id: input.externalId,
            verified: input.verified ? 1 : 0,
            name: input.name,
            email: input.email,
            attributes: JSON.stringify(input.attributes),
            session_token: input.sessionToken,
            locale: input.locale ?? null,
            first_seen_at: input.at,
            last_seen_at: input.at,
            created_at: input.at,
            updated_at: input.at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toContact(row);
      }),

    updateContact: (id, patch) =>
      uniquely(async () => {
        const result = await db
          .updateTable("contacts")
          .set(toColumns(patch))
          .where("id", "=", id)
          .executeTakeFirst();
        return result.numUpdatedRows > 0n ? getContact(id) : undefined;
      }),

    async listContacts(filter) {
      let query = db.selectFrom("contacts").selectAll();
      if (filter.siteIds !== undefined) {
        if (filter.siteIds.length === 0) return [];
        query = query.where("site_id", "in", filter.siteIds);
      }
      if (filter.beforeId !== undefined) query = query.where("id", "<", filter.beforeId);
      const search = filter.search?.trim();
      if (search) {
        query = query.where((eb) =>
          eb.or([
            containsIgnoringCase(eb.ref("name"), search),
            containsIgnoringCase(eb.ref("email"), search),
          ]),
        );
      }
      const rows = await query.orderBy("id", "desc").limit(filter.limit).execute();
      return rows.map(toContact);
    },

    async mergeContacts(intoId, fromId, patch) {
      const merged = await uniquely(() =>
        db.transaction().execute(async (trx) => {
          await trx
            .updateTable("conversations")
            .set({ contact_id: intoId })
            .where("contact_id", "=", fromId)
            .execute();
          await trx
            .updateTable("visitors")
            .set({ contact_id: intoId })
            .where("contact_id", "=", fromId)
            .execute();
          // Deleted before `into` is changed: `into` may take over its verified id (unique per site).
          const deleted = await trx.deleteFrom("contacts").where("id", "=", fromId).executeTakeFirst();
          const updated = await trx
            .updateTable("contacts")
            .set(toColumns(patch))
            .where("id", "=", intoId)
            .executeTakeFirst();
          // Either contact went meanwhile: nothing is changed (the transaction rolls back).
          if (deleted.numDeletedRows === 0n || updated.numUpdatedRows === 0n) throw new ContactGoneError();
          return true;
        }),
      ).catch((error: unknown) => {
        if (error instanceof ContactGoneError) return false;
        throw error;
      });
      return merged ? getContact(intoId) : undefined;
    },
  };
}

class ContactGoneError extends Error {}

function toColumns(patch: ContactPatch): Updateable<ContactsTable> {
  const columns: Updateable<ContactsTable> = { updated_at: patch.at };
  if (patch.externalId !== undefined) columns.external_id = patch.externalId;
  if (patch.verified !== undefined) columns.verified = patch.verified ? 1 : 0;
  if (patch.name !== undefined) columns.name = patch.name;
  if (patch.email !== undefined) columns.email = patch.email;
  if (patch.attributes !== undefined) columns.attributes = JSON.stringify(patch.attributes);
  if (patch.sessionToken !== undefined) columns.session_token = patch.sessionToken;
  if (patch.firstSeenAt !== undefined) columns.first_seen_at = patch.firstSeenAt;
  if (patch.lastSeenAt !== undefined) columns.last_seen_at = patch.lastSeenAt;
  if (patch.locale !== undefined) columns.locale = patch.locale;
  if (patch.emailUnsubscribedAt !== undefined) columns.email_unsubscribed_at = patch.emailUnsubscribedAt;
  return columns;
}
