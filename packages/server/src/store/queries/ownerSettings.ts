/** The owner's settings: one row per setting, its value JSON text. */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { Store, StoredOwnerSettings } from "../store.js";

export type OwnerSettingQueries = Pick<Store, "getOwnerSettings" | "saveOwnerSettings">;

export function ownerSettingQueries(db: Kysely<Database>): OwnerSettingQueries {
  return {
    async getOwnerSettings() {
      const rows = await db.selectFrom("owner_settings").select(["key", "value"]).execute();
      const settings: StoredOwnerSettings = {};
      for (const row of rows) settings[row.key] = JSON.parse(row.value) as unknown;
      return settings;
    },

    async saveOwnerSettings(values, at) {
      const entries = Object.entries(values);
      if (entries.length === 0) return;
      await db.transaction().execute(async (trx) => {
        for (const [key, value] of entries) {
          const json = JSON.stringify(value);
          await trx
            .insertInto("owner_settings")
            .values({ key, value: json, updated_at: at })
            .onConflict((conflict) => conflict.column("key").doUpdateSet({ value: json, updated_at: at }))
            .execute();
        }
      });
    },
  };
}
