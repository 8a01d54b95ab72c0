/**
 * What the inbox's first-run checklist asks (protocol §14 `GET /onboarding`): each an EXISTS
 * that stops at the first row it finds.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { Store } from "../store.js";

export type OnboardingQueries = Pick<Store, "hasPageViewOutside" | "hasConversation">;

/** A LIKE pattern matching `prefix` literally, then anything. */
function startsWith(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export function onboardingQueries(db: Kysely<Database>): OnboardingQueries {
  return {
    async hasPageViewOutside(origins) {
      const row = await db
        .selectFrom("page_views")
        .select("id")
        .where(sql<boolean>`${sql.ref("url")} like 'http%'`)
        .where((eb) =>
          eb.and(
            origins.flatMap((origin) => [
              eb("url", "!=", origin),
              sql<boolean>`${sql.ref("url")} not like ${startsWith(`${origin}/`)} escape '\\'`,
            ]),
          ),
        )
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async hasConversation() {
      const row = await db.selectFrom("conversations").select("id").limit(1).executeTakeFirst();
      return row !== undefined;
    },
  };
}
