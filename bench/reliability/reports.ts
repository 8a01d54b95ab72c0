/**
 * Reports on a year of data (protocol §18; docs/operations.md, "Reports"): a server in this
 * process over a store holding 2025 (36,500 conversations, 292,000 messages, 3,650 ratings,
 * written in bulk by the year-of-data test's seeder), then `GET /reports` as the owner for 30 days
 * (June) and for 366 days (2025-01-01 … 2026-01-01), in Europe/Paris, several times each: the
 * median of the runs after a first, unmeasured one. On SQLite, and on Postgres with
 * --database-url. It holds when every answer has the known totals.
 */
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
import type { ReportResponse } from "@parley/protocol";
import { loadConfig } from "../../packages/server/src/config.js";
import { startServer } from "../../packages/server/src/server.js";
import { hashPassword } from "../../packages/server/src/chat/passwords.js";
import { openStore } from "../../packages/server/src/store/openStore.js";
import { sqlitePath } from "../../packages/server/src/store/sqliteDatabase.js";
import { JUNE, JUNE_FIGURES, seedYear, YEAR_FIGURES } from "../../packages/server/test/reports/yearOfData.js";
import type { BenchOptions } from "../options.js";
import { freshStore, type Backend } from "../stores.js";
import type { StandaloneResult, StandaloneScenario } from "./standalone.js";

const RUNS = 5;
const OWNER = { username: "owner", password: "bench owner password" };
const PERIODS = [
  { name: "30d", since: JUNE.since, until: JUNE.until, conversations: JUNE_FIGURES.conversations },
  // 2026-01-01 adds nothing: the year's 366th day is empty.
  { name: "366d", since: "2025-01-01", until: "2026-01-01", conversations: YEAR_FIGURES.conversations },
] as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}

async function measure(
  backend: Backend,
  options: BenchOptions,
  log: (line: string) => void,
  figures: StandaloneResult["figures"],
  notes: string[],
): Promise<boolean> {
  const store = await freshStore(backend, options.databaseUrl, "reports");
  // Seeded before the server starts: rows written behind a running server's back would be taken
  // for another process's messages and published by its store tail.
  const seedStart = performance.now();
  const seeding = await openStore({
    storageDir: store.env.STORAGE_DIR!,
    databaseUrl: store.env.DATABASE_URL,
  });
  try {
    await seeding.migrate();
    const owner = await seeding.createAgent({
      username: OWNER.username,
      name: "Owner",
      role: "owner",
      passwordHash: await hashPassword(OWNER.password),
      at: new Date().toISOString(),
    });
    const site = await seeding.getDefaultSite();
    if (backend === "sqlite") {
      const sqlite = new Database(sqlitePath(store.env.STORAGE_DIR!));
      try {
        await seedYear({ sqlite }, site.id, owner);
      } finally {
        sqlite.close();
      }
    } else {
      const pool = new pg.Pool({ connectionString: store.env.DATABASE_URL, max: 1 });
      try {
        await seedYear({ postgres: pool }, site.id, owner);
      } finally {
        await pool.end();
      }
    }
  } finally {
    await seeding.close();
  }
  figures[`${backend}_seed_s`] = Math.round((performance.now() - seedStart) / 100) / 10;
  log(`reports: ${backend} seeded in ${String(figures[`${backend}_seed_s`])} s`);
  const server = await startServer(
    loadConfig({ PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...store.env }),
  );
  let held = true;
  try {
    const login = await fetch(`${server.url}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(OWNER),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    for (const period of PERIODS) {
      const times: number[] = [];
      for (let run = 0; run <= RUNS; run++) {
        const start = performance.now();
        const response = await fetch(
          `${server.url}/reports?since=${period.since}&until=${period.until}&time_zone=Europe/Paris`,
          { headers: { cookie } },
        );
        const body = (await response.json()) as ReportResponse;
        const ms = performance.now() - start;
        if (run > 0) times.push(ms);
        // Paris's day edges move conversations from one UTC day to the next, never out of June.
        if (response.status !== 200 || body.totals.conversations !== period.conversations) {
          held = false;
          notes.push(`${backend} ${period.name}: ${response.status} ${body.totals?.conversations}`);
        }
      }
      figures[`${backend}_${period.name}_median_ms`] = Math.round(median(times));
      figures[`${backend}_${period.name}_max_ms`] = Math.round(Math.max(...times));
      log(
        `reports: ${backend} ${period.name} median ${String(figures[`${backend}_${period.name}_median_ms`])} ms`,
      );
    }
  } finally {
    await server.close();
    await store.dispose();
  }
  return held;
}

export const run: StandaloneScenario = async (options, log) => {
  const figures: StandaloneResult["figures"] = {};
  const notes: string[] = [];
  const backends: Backend[] = options.databaseUrl === undefined ? ["sqlite"] : ["sqlite", "postgres"];
  let held = true;
  for (const backend of backends) held = (await measure(backend, options, log, figures, notes)) && held;
  return {
    name: "reports",
    ran: `GET /reports over a year of data (36,500 conversations, 292,000 messages) for 30 and 366 days in Europe/Paris, median of ${RUNS} runs after a warm-up, on ${backends.join(" and ")}`,
    figures,
    held,
    notes,
  };
};
