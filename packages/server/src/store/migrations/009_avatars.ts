/**
 * Agents' photos (protocol §14): `agents.avatar_file`, the name of the agent's avatar in the
 * blob store (`avatars/<name>`) and in its public URL (`/avatars/<name>`), or null for none. The
 * name carries the picture's hash, so each new picture has a new URL (served as immutable).
 *
 * The step looks first, so a half-run migration on SQLite can run again.
 */
import type { Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { hasColumn } from "./hasColumn.js";

export function avatarsSchema(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (!(await hasColumn(db, engine, "agents", "avatar_file"))) {
        await db.schema.alterTable("agents").addColumn("avatar_file", "text").execute();
      }
    },

    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable("agents").dropColumn("avatar_file").execute();
    },
  };
}
