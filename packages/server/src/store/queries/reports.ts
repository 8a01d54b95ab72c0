/**
 * (§18) Reports, computed by the database on both engines.
 *
 * The caller cuts the period into UTC ranges (local days, local hours); they reach SQL as one
 * JSON parameter read as a table (`json_each` / `jsonb_array_elements`), and every figure joins
 * its rows to the ranges by time. The ranges drive the join, so each one is an index range
 * scan (conversations by created_at or resolved_at, messages by created_at, ratings by
 * rated_at): a report reads its period's rows, never a whole table. `cross join` says so to
 * SQLite, whose planner keeps a cross join's order (left outside) and otherwise may start from
 * the big table and read the ranges once per row; Postgres plans it as any inner join.
 *
 * Each figure is one statement: a base of rows (range key, site, the agent the figure credits,
 * kind, seconds) read once (`materialized`), then grouped four ways in the same statement: by
 * day, by site, by agent, and over the period. Percentiles are nearest-rank (the value at rank
 * ceil(count × 50 %), 90 %) from ROW_NUMBER, each engine its way (sqliteRanks, postgresRanks).
 */
import { sql, type Kysely, type RawBuilder } from "kysely";
import type { Database, Engine } from "../schema.js";
import type { Store } from "../store.js";
import type {
  ReportGrouping,
  ReportKind,
  ReportQuery,
  ReportRange,
  ReportRow,
  StoredReport,
} from "../reportStore.js";

export type ReportQueries = Pick<Store, "report">;

/** Kinds travel as small integers (the same on both engines), named again in JS. */
const KIND_CODES: Record<ReportKind, number> = {
  conversation: 0,
  visitor_message: 1,
  agent_message: 2,
  resolution: 3,
  first_response: 4,
  unanswered: 5,
  score1: 11,
  score2: 12,
  score3: 13,
  score4: 14,
  score5: 15,
};
const KINDS = new Map(Object.entries(KIND_CODES).map(([name, code]) => [code, name as ReportKind]));
const GROUPINGS: ReportGrouping[] = ["day", "site", "agent", "total"];

/** The ranges as a table `(k, s, e)`. */
function rangeTable(engine: Engine, ranges: ReportRange[]): RawBuilder<unknown> {
  const json = JSON.stringify(ranges.map((range) => [range.key, range.start, range.end]));
  return engine === "sqlite"
    ? sql`select cast(json_extract(value, '$[0]') as integer) as k, json_extract(value, '$[1]') as s, json_extract(value, '$[2]') as e from json_each(${json})`
    : sql`select (x->>0)::integer as k, (x->>1) collate "C" as s, (x->>2) collate "C" as e from jsonb_array_elements(${json}::jsonb) as x`;
}

/** Whole seconds from `from` to `to` (ISO text columns), rounded down. */
function seconds(engine: Engine, to: RawBuilder<unknown>, from: RawBuilder<unknown>): RawBuilder<number> {
  return engine === "sqlite"
    ? sql<number>`(cast(round((julianday(${to}) - julianday(${from})) * 86400000) as integer) / 1000)`
    : sql<number>`floor(extract(epoch from (${to}::timestamptz - ${from}::timestamptz)))::bigint`;
}

function siteFilter(query: ReportQuery, column: RawBuilder<unknown>): RawBuilder<unknown> {
  return query.siteIds === undefined ? sql`` : sql` and ${column} in (${sql.join(query.siteIds)})`;
}

function agentFilter(query: ReportQuery, agent: RawBuilder<unknown>): RawBuilder<unknown> {
  return query.agentId === undefined ? sql`` : sql` and ${agent} = ${query.agentId}`;
}

/**
 * Counting figures: the base is already counted per (day, site, agent, kind); the four groupings
 * add those counts up.
 */
function counted(engine: Engine, query: ReportQuery, base: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`with b as materialized (${rangeTable(engine, query.days)}),
base as materialized (${base}),
grouped as (
  select 0 as g, k as key, kind, n from base
  union all select 1, site_id, kind, n from base
  union all select 2, agent_id, kind, n from base where agent_id is not null
  union all select 3, 0, kind, n from base
)
select g, key, kind, sum(n) as n, null as p50, null as p90 from grouped group by g, key, kind`;
}

/**
 * Nearest-rank percentiles over `grouped (g, key, kind, v)`. On SQLite the ranks are numbered
 * once and the value at rank ceil(count × 50 %) (90 %) is read back per group, one lookup each
 * through the automatic index SQLite builds on `ranked`. Postgres cannot index a CTE (that read
 * back is a scan of `ranked` per group: 27 s for a year), so there a COUNT window gives each
 * row its group's size beside ROW_NUMBER.
 */
const postgresRanks = sql`ranked as (
  select g, key, kind, v,
    row_number() over (partition by g, key, kind, v is null order by v) as rn,
    count(v) over (partition by g, key, kind) as nv
  from grouped
)
select g, key, kind, count(*) as n,
  min(case when v is not null and rn * 100 >= nv * 50 then v end) as p50,
  min(case when v is not null and rn * 10 >= nv * 9 then v end) as p90
from ranked group by g, key, kind`;

const sqliteRanks = sql`ranked as materialized (
  select g, key, kind, v, row_number() over (partition by g, key, kind order by v) as rn
  from grouped where v is not null
),
sizes as materialized (select g, key, kind, count(*) as n, count(v) as nv from grouped group by g, key, kind)
select s.g, s.key, s.kind, s.n,
  (select r.v from ranked r where r.g = s.g and r.key = s.key and r.kind = s.kind and r.rn = (s.nv * 50 + 99) / 100) as p50,
  (select r.v from ranked r where r.g = s.g and r.key = s.key and r.kind = s.kind and r.rn = (s.nv * 9 + 9) / 10) as p90
from sizes s`;

/** Duration figures: one base row per conversation, `v` its seconds (null: none, e.g. unanswered). */
function timed(engine: Engine, query: ReportQuery, base: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`with b as materialized (${rangeTable(engine, query.days)}),
base as materialized (${base}),
grouped as (
  select 0 as g, k as key, kind, v from base
  union all select 1, site_id, kind, v from base
  union all select 2, agent_id, kind, v from base where agent_id is not null
  union all select 3, 0, kind, v from base
),
${engine === "sqlite" ? sqliteRanks : postgresRanks}`;
}

type ReportStatementName =
  "conversations" | "messages" | "ratings" | "resolutions" | "firstResponses" | "busiestHours";

/** Every statement of a report, by name (the tests read their plans). */
export function reportStatements(
  engine: Engine,
  query: ReportQuery,
): Record<ReportStatementName, RawBuilder<unknown>> {
  const kind = (name: ReportKind) => sql.lit(KIND_CODES[name]);
  const conversations = sql`select b.k, c.site_id, c.assignee_id as agent_id, ${kind("conversation")} as kind, count(*) as n
  from b cross join conversations c
  where c.created_at >= b.s and c.created_at < b.e${siteFilter(query, sql`c.site_id`)}${agentFilter(query, sql`c.assignee_id`)}
  group by b.k, c.site_id, c.assignee_id`;

  // A visitor message counts for the conversation's assignee, an agent's for its sender.
  const messageAgent = sql`case when m.sender = 'visitor' then c.assignee_id else m.agent_id end`;
  const messageKind = sql`case when m.sender = 'visitor' then ${kind("visitor_message")} else ${kind("agent_message")} end`;
  const messages = sql`select b.k, c.site_id, ${messageAgent} as agent_id, ${messageKind} as kind, count(*) as n
  from b cross join messages m
  join conversations c on c.id = m.conversation_id
  where m.created_at >= b.s and m.created_at < b.e${siteFilter(query, sql`c.site_id`)}${agentFilter(query, messageAgent)}
  group by b.k, c.site_id, ${messageAgent}, ${messageKind}`;

  const ratings = sql`select b.k, r.site_id, r.agent_id, 10 + r.score as kind, count(*) as n
  from b cross join conversation_ratings r
  where r.rated_at >= b.s and r.rated_at < b.e${siteFilter(query, sql`r.site_id`)}${agentFilter(query, sql`r.agent_id`)}
  group by b.k, r.site_id, r.agent_id, r.score`;

  const resolutions = sql`select b.k, c.site_id, c.assignee_id as agent_id, ${kind("resolution")} as kind,
    ${seconds(engine, sql`c.resolved_at`, sql`c.created_at`)} as v
  from b cross join conversations c
  where c.resolved_at >= b.s and c.resolved_at < b.e${siteFilter(query, sql`c.site_id`)}${agentFilter(query, sql`c.assignee_id`)}`;

  // A conversation's first visitor message (the earliest, ties by id) in a range, and the first
  // agent message at or after it; answered, the agent who sent it is credited, else the assignee.
  // The period's visitor messages are read first (`v`, by time), then both questions are scalar
  // subqueries with LIMIT: an index probe per message. As NOT EXISTS or joins, or without the
  // fence of `v`, Postgres plans them as reads of all of messages.
  const firstAgent = sql`case when r.id is null then c.assignee_id else r.agent_id end`;
  const firstResponses = sql`with v as materialized (
    select b.k, m.id, m.conversation_id, m.created_at
    from b cross join messages m
    where m.created_at >= b.s and m.created_at < b.e and m.sender = 'visitor'
  ),
  f as materialized (
    select v.k, v.conversation_id, v.created_at,
      (select r1.id from messages r1
        where r1.conversation_id = v.conversation_id and r1.sender = 'admin' and r1.created_at >= v.created_at
        order by r1.created_at, r1.id limit 1) as reply_id
    from v
    where v.id = (select p.id from messages p
      where p.conversation_id = v.conversation_id and p.sender = 'visitor'
      order by p.created_at, p.id limit 1)
  )
  select f.k, c.site_id, ${firstAgent} as agent_id,
    case when r.id is null then ${kind("unanswered")} else ${kind("first_response")} end as kind,
    case when r.id is null then null else ${seconds(engine, sql`r.created_at`, sql`f.created_at`)} end as v
  from f cross join conversations c
  left join messages r on r.id = f.reply_id
  where c.id = f.conversation_id${siteFilter(query, sql`c.site_id`)}${agentFilter(query, firstAgent)}`;

  const busiestHours = sql`with h as materialized (${rangeTable(engine, query.hours)})
select h.k as key, count(*) as n
from h cross join conversations c
where c.created_at >= h.s and c.created_at < h.e${siteFilter(query, sql`c.site_id`)}${agentFilter(query, sql`c.assignee_id`)}
group by h.k`;

  return {
    conversations: counted(engine, query, conversations),
    messages: counted(engine, query, messages),
    ratings: counted(engine, query, ratings),
    resolutions: timed(engine, query, resolutions),
    firstResponses: timed(engine, query, firstResponses),
    busiestHours,
  };
}

interface FigureRow {
  g: number | string;
  key: number | string;
  kind: number | string;
  n: number | string;
  p50: number | string | null;
  p90: number | string | null;
}

const orNull = (value: number | string | null) => (value === null ? null : Number(value));

export function reportQueries(db: Kysely<Database>, engine: Engine): ReportQueries {
  return {
    async report(query) {
      const empty: StoredReport = { rows: [], busiestHours: [] };
      if (query.siteIds?.length === 0 || query.days.length === 0) return empty;
      const { busiestHours, ...figures } = reportStatements(engine, query);
      const read = async (executor: Kysely<Database>) => {
        const found: ReportRow[] = [];
        for (const statement of Object.values(figures)) {
          const result = await statement.execute(executor);
          for (const row of result.rows as FigureRow[]) {
            found.push({
              grouping: GROUPINGS[Number(row.g)]!,
              key: Number(row.key),
              kind: KINDS.get(Number(row.kind))!,
              count: Number(row.n),
              medianSeconds: orNull(row.p50),
              p90Seconds: orNull(row.p90),
            });
          }
        }
        return { rows: found, hours: await busiestHours.execute(executor) };
      };
      // Statements one after another. On SQLite each on its own, so the chat's writes go between
      // them (they share one connection). On Postgres in one transaction (one of the pool's
      // connections, not several) with JIT off: the planner cannot know how few ranges there
      // are, and compiling the statements cost seconds per report, more than running them.
      const { rows, hours } =
        engine === "sqlite"
          ? await read(db)
          : await db.transaction().execute(async (trx) => {
              await sql`set local jit = off`.execute(trx);
              return read(trx);
            });
      return {
        rows,
        busiestHours: (hours.rows as Array<{ key: number | string; n: number | string }>).map((row) => ({
          key: Number(row.key),
          count: Number(row.n),
        })),
      };
    },
  };
}
