/**
 * The weight budget of the issue: everything the widget downloads before a visitor's first
 * message, compressed, is at most 12 KB. The bundle is that, plus a few hundred bytes of
 * `GET /widget/config`, which this test reserves. The upload code is a chunk fetched only when a
 * visitor first attaches a file; it has a small budget of its own.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 12 * 1024;
const CONFIG_RESPONSE_BYTES = 400;
const UPLOADS_CHUNK_BUDGET_BYTES = 4 * 1024;
const widgetDir = fileURLToPath(new URL("..", import.meta.url));

test("the built widget.js fits the 12 KB gzip budget", () => {
  const build = spawnSync(process.execPath, ["build.mjs"], { cwd: widgetDir, encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
  const bundle = readFileSync(`${widgetDir}dist/widget.js`);
  const gzipped = gzipSync(bundle).length;
  console.log(`widget.js: ${bundle.length} bytes, ${gzipped} bytes gzipped (budget ${BUDGET_BYTES})`);
  assert.ok(
    gzipped + CONFIG_RESPONSE_BYTES <= BUDGET_BYTES,
    `widget.js is ${gzipped} bytes gzipped; with the config response that exceeds ${BUDGET_BYTES}`,
  );
});

test("the uploads chunk, loaded on first attach, fits its 4 KB gzip budget", () => {
  const chunk = readFileSync(`${widgetDir}dist/widget-uploads.js`);
  const gzipped = gzipSync(chunk).length;
  console.log(
    `widget-uploads.js: ${chunk.length} bytes, ${gzipped} bytes gzipped (budget ${UPLOADS_CHUNK_BUDGET_BYTES})`,
  );
  assert.ok(gzipped <= UPLOADS_CHUNK_BUDGET_BYTES, `widget-uploads.js is ${gzipped} bytes gzipped`);
});

test("both bundles are IIFEs with no markup sinks", () => {
  for (const file of ["widget.js", "widget-uploads.js"]) {
    const source = readFileSync(`${widgetDir}dist/${file}`, "utf8");
    for (const sink of [
      "innerHTML",
      "outerHTML",
      "insertAdjacentHTML",
      "document.write",
      "eval(",
      "new Function",
    ]) {
      assert.ok(!source.includes(sink), `${file} must not use ${sink}`);
    }
    assert.match(source, /^"use strict";\(\(\)=>\{/);
  }
});
