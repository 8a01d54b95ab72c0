/**
 * Visitors (protocol §12): one row per token and site with what its pages and browser said, and
 * its page views, the newest few kept.
 */
import { sql, type Kysely, type Selectable, type Updateable } from "kysely";
import { lookupsPerTurn } from "../lookupsPerTurn.js";
import { toVisitor } from "../rows.js";
import type { Database, Engine, VisitorsTable } from "../schema.js";
import type { StoredVisitor, Store } from "../store.js";
import { prepared } from "./prepared.js";

export type VisitorQueries = Pick<
  Store,
  "findVisitor" | "ensureVisitor" | "setVisitorContact" | "recordPageView" | "listPageViews"
>;

/** A visitor's key in one turn's lookup: its site and token in one string. */
const keyOf = (siteId: number, token: string) => `${siteId}\u0000${token}`;

/**
 * The visitors of several (site, token) keys in one statement, for Postgres (lookupsPerTurn.ts):
 * one array of sites and one of tokens, so the text stays the same whatever their number, and
 * the unique (site_id, token) index answers both. A row of a site asked for with another site's
 * token matches no key and is dropped by the caller.
 */
function visitorsByKeys(db: Kysely<Database>) {
  return async (keys: string[]): Promise<StoredVisitor[]> => {
    const pairs = keys.map((key) => key.split("\u0000") as [string, string]);
    const { rows } = await sql<Selectable<VisitorsTable>>`
      select * from visitors
      where site_id = any(${[...new Set(pairs.map(([siteId]) => Number(siteId)))]}::bigint[])
        and token = any(${pairs.map(([, token]) => token)}::text[])`.execute(db);
    return rows.map(toVisitor);
  };
}

export function visitorQueries(db: Kysely<Database>, engine: Engine): VisitorQueries {
  // Prepared (prepared.ts): a visitor's first message finds its contact through its visitor row,
  // and every identified subscribe ensures the row.
  const byToken = prepared<{ siteId: number; token: string }>()((p) =>
    db.selectFrom("visitors").selectAll().where("site_id", "=", p.siteId).where("token", "=", p.token),
  );
  const insertOrNothing = prepared<{ siteId: number; token: string; at: string }>()((p) =>
    db
      .insertInto("visitors")
      .values({ site_id: p.siteId, token: p.token, first_seen_at: p.at, last_seen_at: p.at })
      .onConflict((conflict) => conflict.columns(["site_id", "token"]).doNothing()),
  );
  const setContact = prepared<{ visitorId: number; contactId: number | null }>()((p) =>
    db.updateTable("visitors").set({ contact_id: p.contactId }).where("id", "=", p.visitorId),
  );

  // On Postgres a read is a round trip through a pool of ten connections, and in a burst of
  // first messages (a campaign, the bench) each waited its turn for one: the reads of one turn go
  // in one statement (lookupsPerTurn.ts). On SQLite a read is a call in this process.
  const byKeys =
    engine === "postgres"
      ? lookupsPerTurn(visitorsByKeys(db), (visitor: StoredVisitor) => keyOf(visitor.siteId, visitor.token))
      : undefined;
  const findVisitor = async (siteId: number, token: string) => {
    if (byKeys !== undefined) return byKeys(keyOf(siteId, token));
    const [row] = await byToken(db, { siteId, token });
    return row && toVisitor(row);
  };

  return {
    findVisitor,

    async ensureVisitor(siteId, token, at) {
      // Insert-or-nothing, then read: two tabs' first page views race on the unique (site, token).
      await insertOrNothing(db, { siteId, token, at });
      const visitor = await findVisitor(siteId, token);
      if (visitor === undefined)
        throw new Error("ensureVisitor: the visitor row is missing after its insert");
      return visitor;
    },

    async setVisitorContact(visitorId, contactId) {
      await setContact(db, { visitorId, contactId });
    },

    recordPageView: (visitorId, sighting) =>
      db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom("visitors")
          .selectAll()
          .where("id", "=", visitorId)
          .executeTakeFirstOrThrow();
        const { page } = sighting;
        const columns: Updateable<VisitorsTable> = { last_seen_at: page.at };
        if (current.first_page_url === null) {
          columns.first_page_url = page.url;
          columns.first_page_title = page.title;
          columns.first_page_at = page.at;
        }
        // Where the visitor came from, and the campaign that brought them: the first that says.
        if (current.referrer === null && sighting.referrer !== null) columns.referrer = sighting.referrer;
        if (current.utm === null && Object.keys(sighting.utm).length > 0)
          columns.utm = JSON.stringify(sighting.utm);
        // The browser's and the address's latest word.
        if (sighting.userAgent !== null) {
          columns.user_agent = sighting.userAgent;
          columns.browser = sighting.browser;
          columns.os = sighting.os;
          columns.device = sighting.device;
        }
        if (sighting.language !== null) columns.language = sighting.language;
        if (sighting.timeZone !== null) columns.time_zone = sighting.timeZone;
        if (sighting.ipAddress !== null) columns.ip_address = sighting.ipAddress;
        await trx.updateTable("visitors").set(columns).where("id", "=", visitorId).execute();
        await trx
          .insertInto("page_views")
          .values({ visitor_id: visitorId, url: page.url, title: page.title, at: page.at })
          .execute();
        // Everything older than the newest `keepPages` goes.
        const oldestKept = await trx
          .selectFrom("page_views")
          .select("id")
          .where("visitor_id", "=", visitorId)
          .orderBy("id", "desc")
          .limit(1)
          .offset(sighting.keepPages - 1)
          .executeTakeFirst();
        if (oldestKept !== undefined) {
          await trx
            .deleteFrom("page_views")
            .where("visitor_id", "=", visitorId)
            .where("id", "<", oldestKept.id)
            .execute();
        }
        const row = await trx
          .selectFrom("visitors")
          .selectAll()
          .where("id", "=", visitorId)
          .executeTakeFirstOrThrow();
        return toVisitor(row);
      }),

    async listPageViews(visitorId) {
      const rows = await db
        .selectFrom("page_views")
        .select(["url", "title", "at"])
        .where("visitor_id", "=", visitorId)
        .orderBy("id", "asc")
        .execute();
      return rows;
    },
  };
}
