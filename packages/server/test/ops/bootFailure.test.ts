/**
 * A part that fails to open closes every part opened before it (server.ts, resourceStack.ts):
 * the store is closed and nothing is left to hold the process, which can then exit by itself.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pino from "pino";
import { loadConfig } from "../../src/config.js";
import { startServer } from "../../src/server.js";
import { sqlitePath } from "../../src/store/sqliteDatabase.js";
import { postgresSchema, type PostgresSchema } from "../support/postgres.js";

/** After saying its boot failed, the process must be gone within this. */
const EXIT_WITHIN_MS = 5000;
/** A port nothing listens on: connecting is refused at once. */
const DEAD_REDIS = "redis://127.0.0.1:1";

function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      resolve({ server, port: (server.address() as { port: number }).port });
    });
    server.on("error", reject);
  });
}

/** Runs bootThatFails.ts with `env`; resolves with its output and how long it lived after failing. */
function bootThatFails(
  env: Record<string, string>,
): Promise<{ output: string; exited: boolean; lingeredMs: number }> {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "packages/server/test/ops/support/bootThatFails.ts"],
    {
      env: { ...process.env, HOST: "127.0.0.1", LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  let failedAt: number | undefined;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (exited: boolean) => {
      clearTimeout(timer);
      resolve({ output, exited, lingeredMs: failedAt === undefined ? -1 : Date.now() - failedAt });
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (failedAt === undefined && /^(failed|started)/m.test(output)) {
        failedAt = Date.now();
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          finish(false);
        }, EXIT_WITHIN_MS);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", () => finish(true));
  });
}

describe("a boot that fails part way", () => {
  const dirs: string[] = [];
  let busy: { server: Server; port: number };
  const storageDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-boot-"));
    dirs.push(dir);
    return dir;
  };
  before(async () => {
    busy = await holdPort();
  });
  after(() => {
    busy.server.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("closes the store when the port is taken", async () => {
    const dir = storageDir();
    const config = loadConfig({
      PORT: String(busy.port),
      HOST: "127.0.0.1",
      STORAGE_DIR: dir,
      ADMIN_PASSWORD: "a-long-password",
    });
    await assert.rejects(startServer(config, { logger: pino({ level: "silent" }) }), /EADDRINUSE/);
    assert.ok(existsSync(sqlitePath(dir)), "the store was opened");
    // SQLite removes the write-ahead log when the last connection to the database closes.
    assert.equal(existsSync(`${sqlitePath(dir)}-wal`), false, "the store is closed");
  });

  it("leaves nothing that keeps the process alive when the port is taken", async () => {
    const result = await bootThatFails({ PORT: String(busy.port), STORAGE_DIR: storageDir() });
    assert.match(result.output, /failed: .*EADDRINUSE/);
    assert.ok(result.exited, `still running ${EXIT_WITHIN_MS} ms after its boot failed:\n${result.output}`);
  });

  describe(
    "on Postgres and Redis",
    { skip: !process.env.TEST_DATABASE_URL || !process.env.TEST_REDIS_URL },
    () => {
      let schema: PostgresSchema | undefined;
      before(async () => {
        schema = await postgresSchema();
      });
      after(async () => {
        await schema?.drop();
      });

      it("leaves no pool, Redis client or timer behind when the port is taken", async () => {
        const result = await bootThatFails({
          PORT: String(busy.port),
          STORAGE_DIR: storageDir(),
          DATABASE_URL: schema!.url,
          REDIS_URL: process.env.TEST_REDIS_URL!,
        });
        assert.match(result.output, /failed: .*EADDRINUSE/);
        assert.ok(
          result.exited,
          `still running ${EXIT_WITHIN_MS} ms after its boot failed:\n${result.output}`,
        );
      });

      it("closes the database pool when Redis cannot be reached after the store opened", async () => {
        const result = await bootThatFails({
          PORT: "0",
          STORAGE_DIR: storageDir(),
          DATABASE_URL: schema!.url,
          REDIS_URL: DEAD_REDIS,
        });
        assert.match(result.output, /failed: REDIS_URL: cannot connect/);
        assert.ok(
          result.exited,
          `still running ${EXIT_WITHIN_MS} ms after its boot failed:\n${result.output}`,
        );
      });
    },
  );
});
