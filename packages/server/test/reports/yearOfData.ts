/**
 * A year of chat (2025, UTC) written straight into the database in bulk, for the year-of-data
 * test and the reports bench: 100 conversations a day, 14.4 minutes apart, each with 8 messages a
 * minute apart (visitor, agent, visitor, …); every other one resolved an hour after it started;
 * one in ten rated (scores 1 to 5 in turn) 4000 s after it started. Its figures are known:
 * YEAR_FIGURES and JUNE_FIGURES.
 */
import type Database from "better-sqlite3";
import type pg from "pg";

export const YEAR = { since: "2025-01-01", until: "2025-12-31", days: 365 } as const;
export const CONVERSATIONS_PER_DAY = 100;
export const MESSAGES_PER_CONVERSATION = 8;
const SPACING_S = 864;
const FIRST_ID = 1_000_000;
const DAY_MS = 86_400_000;

/** Whole-year figures (UTC): the last day's two late resolutions fall into 2026. */
export const YEAR_FIGURES = {
  conversations: 36_500,
  visitor_messages: 146_000,
  agent_messages: 146_000,
  resolved: 18_248,
  first_responses: 36_500,
  ratings: 3_650,
};

/** 2025-06-01 … 2025-06-30 (UTC): two resolutions come in from May 31, two go out to July 1. */
export const JUNE = { since: "2025-06-01", until: "2025-06-30" } as const;
export const JUNE_FIGURES = {
  conversations: 3_000,
  visitor_messages: 12_000,
  agent_messages: 12_000,
  resolved: 1_500,
  first_responses: 3_000,
  ratings: 300,
};

export type BulkTarget = { sqlite: Database.Database } | { postgres: pg.Pool };

interface Rows {
  conversations: unknown[][];
  messages: unknown[][];
  ratings: unknown[][];
}

function dayRows(day: number, siteId: number, agent: { id: number; name: string }): Rows {
  const rows: Rows = { conversations: [], messages: [], ratings: [] };
  const dayStart = Date.UTC(2025, 0, 1) + day * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  for (let i = 0; i < CONVERSATIONS_PER_DAY; i++) {
    const id = FIRST_ID + day * CONVERSATIONS_PER_DAY + i;
    const created = dayStart + i * SPACING_S * 1000;
    const resolved = i % 2 === 0;
    rows.conversations.push([
      id,
      `year-${id}`,
      resolved ? "closed" : "open",
      resolved ? "resolved" : "open",
      agent.id,
      iso(created),
      iso(created + (MESSAGES_PER_CONVERSATION - 1) * 60_000),
      siteId,
      resolved ? iso(created + 3_600_000) : null,
    ]);
    for (let k = 0; k < MESSAGES_PER_CONVERSATION; k++) {
      const fromVisitor = k % 2 === 0;
      rows.messages.push([
        id,
        fromVisitor ? "visitor" : "admin",
        `message ${k}`,
        iso(created + k * 60_000),
        fromVisitor ? null : agent.id,
        fromVisitor ? null : agent.name,
      ]);
    }
    if (i % 10 === 0) rows.ratings.push([id, siteId, agent.id, ((i / 10) % 5) + 1, iso(created + 4_000_000)]);
  }
  return rows;
}

const CONVERSATION_COLUMNS =
  "id, visitor_token, status, state, assignee_id, created_at, updated_at, site_id, resolved_at";
const MESSAGE_COLUMNS = "conversation_id, sender, content, created_at, agent_id, agent_name";
const RATING_COLUMNS = "conversation_id, site_id, agent_id, score, rated_at";

/** Writes the year, then refreshes the planner's statistics. */
export async function seedYear(
  target: BulkTarget,
  siteId: number,
  agent: { id: number; name: string },
): Promise<void> {
  if ("sqlite" in target) {
    const db = target.sqlite;
    const conversation = db.prepare(
      `insert into conversations (${CONVERSATION_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const message = db.prepare(`insert into messages (${MESSAGE_COLUMNS}) values (?, ?, ?, ?, ?, ?)`);
    const rating = db.prepare(`insert into conversation_ratings (${RATING_COLUMNS}) values (?, ?, ?, ?, ?)`);
    const writeDay = db.transaction((rows: Rows) => {
      for (const row of rows.conversations) conversation.run(...row);
      for (const row of rows.messages) message.run(...row);
      for (const row of rows.ratings) rating.run(...row);
    });
    for (let day = 0; day < YEAR.days; day++) writeDay(dayRows(day, siteId, agent));
    db.exec("analyze");
    return;
  }
  const pool = target.postgres;
  // A month per statement, each column as one array: few round trips, no parameter limit.
  const columnsOf = (rows: unknown[][], width: number) =>
    Array.from({ length: width }, (_, column) => rows.map((row) => row[column]));
  for (let first = 0; first < YEAR.days; first += 30) {
    const rows: Rows = { conversations: [], messages: [], ratings: [] };
    for (let day = first; day < Math.min(first + 30, YEAR.days); day++) {
      const part = dayRows(day, siteId, agent);
      rows.conversations.push(...part.conversations);
      rows.messages.push(...part.messages);
      rows.ratings.push(...part.ratings);
    }
    await pool.query(
      `insert into conversations (${CONVERSATION_COLUMNS}) overriding system value
       select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::bigint[], $9::text[])`,
      columnsOf(rows.conversations, 9),
    );
    await pool.query(
      `insert into messages (${MESSAGE_COLUMNS})
       select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])`,
      columnsOf(rows.messages, 6),
    );
    await pool.query(
      `insert into conversation_ratings (${RATING_COLUMNS})
       select * from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::integer[], $5::text[])`,
      columnsOf(rows.ratings, 5),
    );
  }
  await pool.query("analyze");
}
