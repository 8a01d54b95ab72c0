/**
 * What the inbox's build sends, gzipped at level 9: the code every agent loads (inbox.js and the
 * chunks it imports at once) stays free of the Reports page and its charts, which come as a
 * chunk fetched only when Reports is opened; index.html preloads the shared chunks. The
 * budgets leave room to grow but catch a page or a library slipping into the main bundle.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const MAIN_BUDGET_BYTES = 120 * 1024;
const REPORTS_CHUNK_BUDGET_BYTES = 36 * 1024;

const inboxDir = fileURLToPath(new URL("../", import.meta.url));
const assets = `${inboxDir}dist/assets`;
const read = (file: string): string => readFileSync(`${assets}/${file}`, "utf8");
const gzipped = (file: string): number => gzipSync(readFileSync(`${assets}/${file}`), { level: 9 }).length;

/** The files inbox.js imports statically (`import … from "./x.js"` at its top). */
function staticImports(file: string): string[] {
  const head = read(file).slice(0, 2000);
  return [...head.matchAll(/from"\.\/([\w-]+\.js)"/g)].map((match) => match[1]!);
}

before(() => {
  const result = spawnSync(process.execPath, ["build.mjs"], { cwd: inboxDir, encoding: "utf8" });
  assert.equal(result.status, 0, result.stderr);
});

test("uPlot and the Reports page are a chunk of their own, not in what every agent loads", () => {
  const files = readdirSync(assets);
  const reports = files.filter((file) => /^ReportsPage-[\w]+\.js$/.test(file));
  assert.equal(reports.length, 1, `one Reports chunk among ${files.join(", ")}`);
  const main = ["inbox.js", ...staticImports("inbox.js")];
  for (const file of main) {
    assert.doesNotMatch(read(file), /u-cursor-pt|uPlot/, `${file} carries uPlot`);
    assert.doesNotMatch(read(file), /reports-charts/, `${file} carries the Reports page`);
    assert.doesNotMatch(read(file), /reportsBusiestHours/, `${file} carries the Reports page's words`);
  }
  assert.match(read(reports[0]!), /u-cursor-pt/, "the chunk holds uPlot");
  assert.match(read(reports[0]!), /reportsBusiestHours/, "and the page's words");
  assert.ok(read("inbox.js").includes(reports[0]!), "inbox.js imports the chunk by its name");
});

test("index.html preloads the chunks inbox.js needs at once", () => {
  const html = readFileSync(`${inboxDir}dist/index.html`, "utf8");
  const shared = staticImports("inbox.js");
  for (const file of shared)
    assert.ok(html.includes(`rel="modulepreload" href="/admin/assets/${file}"`), file);
  assert.doesNotMatch(html, /ReportsPage/, "the Reports chunk waits for the page");
});

test("the main bundle and the Reports chunk hold their budgets", () => {
  const main = ["inbox.js", ...staticImports("inbox.js")].reduce((sum, file) => sum + gzipped(file), 0);
  const reports = readdirSync(assets).find((file) => file.startsWith("ReportsPage-"))!;
  assert.ok(main <= MAIN_BUDGET_BYTES, `main bundle ${main} B > ${MAIN_BUDGET_BYTES} B`);
  assert.ok(
    gzipped(reports) <= REPORTS_CHUNK_BUDGET_BYTES,
    `Reports chunk ${gzipped(reports)} B > ${REPORTS_CHUNK_BUDGET_BYTES} B`,
  );
});
