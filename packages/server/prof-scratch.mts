import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { openStore } from "./src/store/openStore.js";
import { sqlitePath } from "./src/store/sqliteDatabase.js";
import { reportPeriod } from "./src/chat/reportPeriod.js";
import { reportStatements } from "./src/store/queries/reports.js";
import { seedYear } from "./test/reports/yearOfData.js";
import { existsSync } from "node:fs";
const dir = process.env.DIR ?? "/tmp/rs/store";
const fresh = !existsSync(dir);
const store = await openStore({ storageDir: dir });
await store.migrate();
const site = await store.getDefaultSite();
const sqlite = new Database(sqlitePath(dir));
if (fresh) { const a = await store.createAgent({username:"ada",name:"Ada",role:"owner",passwordHash:"x",at:new Date().toISOString()}); let t = Date.now(); await seedYear({ sqlite }, site.id, a); console.log("seed", Date.now() - t); }
if (process.env.NOSTATS) { sqlite.exec("drop table if exists sqlite_stat1; drop table if exists sqlite_stat4"); }
const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
const since = process.argv[2] ?? "2025-01-01", until = process.argv[3] ?? "2025-12-31";
const p = reportPeriod(since, until, "UTC");
for (const [name, st] of Object.entries(reportStatements("sqlite", { days: p.days, hours: p.hours }))) {
  const t = performance.now(); const r = await st.execute(db); console.log(name, Math.round(performance.now() - t), r.rows.length);
}
{
  const t = performance.now();
  const r = await store.report({ days: p.days, hours: p.hours });
  console.log("store.report", Math.round(performance.now() - t), r.rows.length);
}
