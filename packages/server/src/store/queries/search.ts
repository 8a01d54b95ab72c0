/**
 * Case-insensitive substring search that means the same on SQLite and Postgres.
 * `lower(x) like lower(pattern)` rather than ILIKE (Postgres only) or bare LIKE (case-insensitive
 * on SQLite, case-sensitive on Postgres). SQLite's lower() folds ASCII only, Postgres' folds all
 * of Unicode; either way both sides are folded by the same function, so they agree.
 */
import { sql, type Expression, type RawBuilder, type SqlBool } from "kysely";

/** SQLite has no default LIKE escape character, so every LIKE names one explicitly. */
const LIKE_ESCAPE = "\\";

/** Makes `%`, `_` and the escape character in the user's text match themselves. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `${LIKE_ESCAPE}${char}`);
}

export function containsIgnoringCase(column: Expression<string | null>, text: string): RawBuilder<SqlBool> {
  const pattern = `%${escapeLike(text)}%`;
  return sql<SqlBool>`lower(${column}) like lower(${pattern}) escape ${LIKE_ESCAPE}`;
}
