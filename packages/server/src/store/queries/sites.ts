/** Sites (protocol §10): few, read often (every widget config and visitor subscription names one). */
import { randomBytes } from "node:crypto";
import type { Kysely, Updateable } from "kysely";
import { isUniqueViolation, UniqueViolationError } from "../errors.js";
import { toSite } from "../rows.js";
import type { Database, SitesTable } from "../schema.js";
import type { SitePatch, Store } from "../store.js";

export type SiteQueries = Pick<
  Store,
  "listSites" | "getSite" | "findSiteByKey" | "getDefaultSite" | "createSite" | "updateSite"
>;

export function siteQueries(db: Kysely<Database>): SiteQueries {
  const getSite = async (id: number) => {
    const row = await db.selectFrom("sites").selectAll().where("id", "=", id).executeTakeFirst();
    return row && toSite(row);
  };

  return {
    async listSites() {
      const rows = await db.selectFrom("sites").selectAll().orderBy("id").execute();
      return rows.map(toSite);
    },

    getSite,

    async findSiteByKey(key) {
      const row = await db.selectFrom("sites").selectAll().where("key", "=", key).executeTakeFirst();
      return row && toSite(row);
    },

    async getDefaultSite() {
      const row = await db.selectFrom("sites").selectAll().where("is_default", "=", 1).executeTakeFirst();
      if (row === undefined) throw new Error("store: no default site (are the migrations run?)");
      return toSite(row);
    },

    async createSite(input) {
      try {
        const row = await db
          .insertInto("sites")
          .values({
            key: input.key,
            name: input.name,
            is_default: 0,
            archived_at: null,
            allowed_origins: JSON.stringify(input.allowedOrigins),
            widget: JSON.stringify(input.widget),
            business_hours: input.businessHours === null ? null : JSON.stringify(input.businessHours),
            agent_ids: input.agentIds === null ? null : JSON.stringify(input.agentIds),
            // 32 random bytes, as migration 007 gave every existing site.
            identity_secret: input.identitySecret ?? randomBytes(32).toString("base64url"),
            identity_required: input.identityRequired === true ? 1 : 0,
            keep_query_strings: input.keepQueryStrings === true ? 1 : 0,
            created_at: input.at,
            updated_at: input.at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toSite(row);
      } catch (error) {
        if (isUniqueViolation(error))
          throw new UniqueViolationError("a site with this key", { cause: error });
        throw error;
      }
    },

    async updateSite(id, patch) {
      const result = await db
        .updateTable("sites")
        .set(toColumns(patch))
        .where("id", "=", id)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n ? getSite(id) : undefined;
    },
  };
}

function toColumns(patch: SitePatch): Updateable<SitesTable> {
  const columns: Updateable<SitesTable> = { updated_at: patch.at };
  if (patch.name !== undefined) columns.name = patch.name;
  if (patch.allowedOrigins !== undefined) columns.allowed_origins = JSON.stringify(patch.allowedOrigins);
  if (patch.widget !== undefined) columns.widget = JSON.stringify(patch.widget);
  if (patch.businessHours !== undefined)
    columns.business_hours = patch.businessHours === null ? null : JSON.stringify(patch.businessHours);
  if (patch.agentIds !== undefined)
    columns.agent_ids = patch.agentIds === null ? null : JSON.stringify(patch.agentIds);
  if (patch.archivedAt !== undefined) columns.archived_at = patch.archivedAt;
  if (patch.identitySecret !== undefined) columns.identity_secret = patch.identitySecret;
  if (patch.identityRequired !== undefined) columns.identity_required = patch.identityRequired ? 1 : 0;
  if (patch.keepQueryStrings !== undefined) columns.keep_query_strings = patch.keepQueryStrings ? 1 : 0;
  return columns;
}
