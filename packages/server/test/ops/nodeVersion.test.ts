/**
 * Node.js older than Parley needs is refused in one sentence, by `npm start`/`npm test`
 * (scripts/check-node.mjs) and by the server's own entry points (dist/main.js, dist/cli.js),
 * before any dependency loads; and every place that states the minimum states the same one.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import semver from "semver";
import * as script from "../../../../scripts/check-node.mjs";
import { MINIMUM_NODE_VERSION, RECOMMENDED_NODE_MAJOR, oldNodeRefusal } from "../../src/nodeVersion.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const read = (path: string) => readFileSync(join(REPO, path), "utf8");
const engines = (path: string) => (JSON.parse(read(path)) as { engines?: { node?: string } }).engines?.node;

test("Node 20, 21 and 22 before 22.13 are refused in one sentence; 22.13, 24 and later are not", () => {
  assert.equal(
    oldNodeRefusal("20.20.2"),
    "Parley needs Node.js 22.13 or newer (24 LTS recommended); this is v20.20.2.",
  );
  // 22.11 cannot require() the ES modules cookie and content-disposition ship as.
  for (const version of ["v21.7.3", "22.0.0", "22.11.0", "22.12.0", "18.20.8"]) {
    const refusal = oldNodeRefusal(version) ?? "";
    assert.match(refusal, /needs Node\.js 22\.13 or newer/, version);
    assert.ok(refusal.endsWith(`this is v${version.replace(/^v/, "")}.`), refusal);
  }
  for (const version of ["22.13.0", "22.22.1", "23.0.0", "24.22.3", "v26.1.0"]) {
    assert.equal(oldNodeRefusal(version), undefined, version);
  }
});

test("package.json engines, the preflight script and the server agree on the minimum", () => {
  assert.equal(engines("package.json"), `>=${MINIMUM_NODE_VERSION}`);
  assert.equal(engines("packages/server/package.json"), `>=${MINIMUM_NODE_VERSION}`);
  assert.equal(script.minimumNodeVersion(), MINIMUM_NODE_VERSION);
  for (const version of ["20.11.0", "20.20.2", "21.0.0", "22.12.0", "22.13.0", "24.22.3"]) {
    assert.equal(script.oldNodeRefusal(version), oldNodeRefusal(version), version);
  }
  // The image and CI run the recommended line.
  assert.match(read("Dockerfile"), new RegExp(`^ARG NODE_IMAGE=node:${RECOMMENDED_NODE_MAJOR}-`, "m"));
});

/** Where Parley is installed: servers and images (Linux), developers' machines (Linux, macOS). */
const PLATFORMS = { os: ["linux", "darwin"], cpu: ["x64", "arm64"] };

test("every package npm installs here accepts the minimum and the recommended Node (engine-strict)", () => {
  assert.match(read(".npmrc"), /^engine-strict=true$/m);
  type Entry = { engines?: Record<string, string> | string[]; os?: string[]; cpu?: string[] };
  const lock = JSON.parse(read("package-lock.json")) as { packages: Record<string, Entry> };
  // npm checks only what it installs: a prebuilt binary for another platform is skipped.
  const installsOn = (list: string[] | undefined, ours: string[]) =>
    list === undefined || list.some((item) => ours.includes(item));
  const refusing: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (range === undefined || !installsOn(entry.os, PLATFORMS.os) || !installsOn(entry.cpu, PLATFORMS.cpu))
      continue;
    for (const version of [`${MINIMUM_NODE_VERSION}.0`, `${RECOMMENDED_NODE_MAJOR}.0.0`]) {
      if (!semver.satisfies(version, range))
        refusing.push(`${path || "parley"} wants ${range}, not ${version}`);
    }
  }
  assert.deepEqual(refusing, []);
});

test("npm start and npm test run the preflight before they build anything", () => {
  const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts.prestart, "node scripts/check-node.mjs");
  assert.match(scripts.pretest ?? "", /^node scripts\/check-node\.mjs && /);
  // On the Node running this test (new enough, or pretest would have stopped it) it stays quiet.
  const run = spawnSync(process.execPath, [join(REPO, "scripts/check-node.mjs")], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "");
});

test("the built server and CLI check the Node version before importing any dependency", () => {
  for (const entry of ["main.js", "cli.js"]) {
    const code = read(`packages/server/dist/${entry}`);
    const imports = code.split("\n").filter((line) => /^import\b/.test(line));
    assert.equal(imports[0], 'import "./refuseOldNode.js";', `the first import of dist/${entry}`);
  }
  const check = read("packages/server/dist/refuseOldNode.js");
  assert.doesNotMatch(check, /^import\b/m, "the check itself imports nothing");
  assert.match(check, /process\.exit\(1\)/);
});
