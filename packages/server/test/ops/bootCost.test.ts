/**
 * What the built server's boot costs.
 *
 * It boots without loading the dependencies a deployment may never use (S3,
 * sharp, email, Redis, Postgres): each costs tens of milliseconds of cold start, and they load on
 * first use instead (loadOnce.ts). The test boots dist/main.js on SQLite with files on disk and
 * no email, Redis or S3 and records every package specifier the process resolves until `/up`
 * answers (the record holds what boot does need, so it is a real record). pg is built into a file
 * of its own that main.ts loads on first use (build.mjs), by path: no specifier to record there,
 * so V8's coverage of the same boot shows which scripts were loaded.
 *
 * And it keeps V8's compiled code of its bundle, as it stands once boot has run, next to Node's
 * compile cache (main.ts, bundleCodeCache.ts), so a restart does not compile it again.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import * as nodeModule from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const SERVER = fileURLToPath(new URL("../../dist/main.js", import.meta.url));
/** Loaded only when their part is configured or first used. */
const LAZY = ["@aws-sdk/client-s3", "sharp", "ioredis", "nodemailer", "imapflow", "mailparser", "pg"];

/** Appends every bare specifier resolved to the file named by PARLEY_RESOLVED_LOG. */
const RECORDER = `
import { appendFileSync } from "node:fs";
import { registerHooks } from "node:module";
const log = process.env.PARLEY_RESOLVED_LOG;
registerHooks({
  resolve(specifier, context, next) {
    if (!/^(node:|file:|data:|\\.|\\/)/.test(specifier)) appendFileSync(log, specifier + "\\n");
    return next(specifier, context);
  },
});
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitUp(url: string, exited: () => string | undefined): Promise<void> {
  for (;;) {
    const why = exited();
    if (why !== undefined) throw new Error(`the server exited before /up answered: ${why}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const hooks = (nodeModule as { registerHooks?: unknown }).registerHooks;

/** Boots the built server on a fresh storage folder under `dir` and waits for `/up`. */
async function bootBuilt(dir: string, env: Record<string, string>, nodeArgs: string[] = []) {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, SERVER], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: "127.0.0.1",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      STORAGE_DIR: join(dir, "storage"),
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let exit: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on("exit", (code, signal) => {
      exit = `code ${code} signal ${signal}: ${stderr}`;
      resolve();
    }),
  );
  try {
    await waitUp(`http://127.0.0.1:${port}/up`, () => exit);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return { child, exited };
}

test(
  "boots to /up without loading S3, sharp, email, Redis or Postgres",
  { skip: hooks === undefined ? "this Node has no module.registerHooks (22.15+)" : false },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-lazy-"));
    const recorder = join(dir, "recorder.mjs");
    const log = join(dir, "resolved.log");
    writeFileSync(recorder, RECORDER);
    writeFileSync(log, "");
    const { child } = await bootBuilt(dir, { PARLEY_RESOLVED_LOG: log }, ["--import", recorder]);
    try {
      const resolved = new Set(readFileSync(log, "utf8").split("\n").filter(Boolean));
      // The record works: what boot needs is in it.
      assert.ok(resolved.has("better-sqlite3"), [...resolved].join(", "));
      const loaded = LAZY.filter((name) =>
        [...resolved].some((each) => each === name || each.startsWith(`${name}/`)),
      );
      assert.deepEqual(loaded, [], "imported at boot though unused");
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test("boots to /up on SQLite without reading the built pg", async () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-lazy-built-"));
  const coverage = join(dir, "coverage");
  try {
    const { child, exited } = await bootBuilt(dir, { NODE_V8_COVERAGE: coverage });
    child.kill("SIGTERM");
    await exited;
    // V8 lists every script it compiled in the coverage it writes at exit.
    const scripts = readdirSync(coverage)
      .flatMap((file) => (JSON.parse(readFileSync(join(coverage, file), "utf8")) as V8Coverage).result)
      .map((script) => script.url);
    // The record works: the server's bundle is in it.
    assert.ok(
      scripts.some((url) => url.endsWith("/dist/startProcess.cjs")),
      scripts.join(", "),
    );
    assert.deepEqual(
      scripts.filter((url) => url.endsWith("/dist/pg.cjs")),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

interface V8Coverage {
  result: { url: string }[];
}

/** The code cache files of the bundle (bundleCodeCache.ts) under `dir`, with size and mtime. */
function bundleCaches(cacheDir: string) {
  return readdirSync(cacheDir)
    .filter((name) => /^parley-bundle-[0-9a-f]{64}-v8-.+\.v8cache$/.test(name))
    .map((name) => {
      const { size, mtimeMs } = statSync(join(cacheDir, name));
      return { name, size, mtimeMs };
    });
}

/**
 * Boots and stops the built server. The first agent comes from the environment, so the first boot
 * hashes a password with argon2, a package loaded on first use through the import() main.ts
 * hands the bundle (importPackage.ts).
 */
async function bootAndStop(dir: string, env: Record<string, string> = {}) {
  const { child, exited } = await bootBuilt(dir, {
    TMPDIR: dir,
    ADMIN_USER: "owner",
    ADMIN_PASSWORD: "a-long-enough-password",
    ...env,
  });
  try {
    child.kill("SIGTERM");
    await exited;
  } finally {
    child.kill("SIGKILL");
  }
}

test("keeps the bundle's code, as it stands after boot, in the temporary folder by default", async () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-compile-cache-"));
  // Node itself caches when NODE_COMPILE_CACHE is set; without it, only main.ts turns it on.
  const cacheDir = join(dir, "node-compile-cache");
  try {
    await bootAndStop(dir);
    const [first, ...others] = bundleCaches(cacheDir);
    assert.ok(first !== undefined && others.length === 0, readdirSync(cacheDir).join(", "));
    // Made after the bundle ran, it holds the functions boot compiled, not only the top level:
    // megabytes, where the compile-time cache Node keeps for an ES module of this bundle has
    // some 770 KB.
    assert.ok(first.size > 1_500_000, `${first.size} B`);

    // The restart found it and V8 took it, so nothing was written again.
    await bootAndStop(dir);
    assert.deepEqual(bundleCaches(cacheDir), [first]);

    // A cache V8 refuses (garbage here; another Node's in life) costs a compile and is replaced.
    writeFileSync(join(cacheDir, first.name), "not a code cache");
    await bootAndStop(dir);
    const [replaced] = bundleCaches(cacheDir);
    assert.ok(replaced !== undefined && replaced.size > 1_500_000, JSON.stringify(replaced));

    // Another build's cache is dropped when this one's is written.
    const stale = `parley-bundle-${"0".repeat(64)}-v8-${process.versions.v8}.v8cache`;
    writeFileSync(join(cacheDir, stale), "old");
    rmSync(join(cacheDir, first.name));
    await bootAndStop(dir);
    assert.deepEqual(
      bundleCaches(cacheDir).map((each) => each.name),
      [first.name],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("keeps no compiled code in a cache folder other users can write to", async () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-compile-cache-shared-"));
  try {
    // Someone else made the default folder first, writable by all: code read from it would run
    // as the server.
    const shared = join(dir, "node-compile-cache");
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    await bootAndStop(dir);
    assert.deepEqual(readdirSync(shared), [], "neither Node's entries nor the bundle's");

    // Named by NODE_COMPILE_CACHE, Node uses it before the server runs; the bundle's cache is
    // still not kept there.
    await bootAndStop(dir, { NODE_COMPILE_CACHE: shared });
    assert.deepEqual(bundleCaches(shared), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the bundle is all ASCII, so a start reads it into a one-byte string", () => {
  const bundle = readFileSync(fileURLToPath(new URL("../../dist/startProcess.cjs", import.meta.url)));
  const beyond = bundle.findIndex((byte) => byte > 0x7f);
  assert.equal(beyond, -1, `a byte beyond ASCII at offset ${beyond}`);
});

test("runs without a code cache when Node's compile cache is off", async () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-compile-cache-off-"));
  try {
    await bootAndStop(dir, { NODE_DISABLE_COMPILE_CACHE: "1" });
    assert.deepEqual(
      readdirSync(dir).filter((name) => name === "node-compile-cache"),
      [],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
