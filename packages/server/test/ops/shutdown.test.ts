/** SIGTERM: stop accepting, tell clients to reconnect, drain, close the database, exit 0 in time. */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { freePort } from "../support/processes.js";
import { openRawCable } from "../support/rawCable.js";
import { visitorToken } from "../support/testServer.js";

describe("shutdown", () => {
  it("sends server_restart to every client and exits cleanly on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-stop-"));
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "packages/server/src/main.ts"],
      {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: "127.0.0.1",
          STORAGE_DIR: dir,
          LOG_LEVEL: "info",
          ADMIN_PASSWORD: "a-long-password",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      const url = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 100 && !output.includes("Parley is listening"); i++)
        await new Promise((r) => setTimeout(r, 100));
      const clients = await Promise.all([1, 2, 3].map(() => openRawCable(url)));
      for (const client of clients) {
        client.subscribe({ channel: "VisitorChannel", token: visitorToken() });
        await client.next((f) => f.type === "confirm_subscription");
      }
      const started = Date.now();
      child.kill("SIGTERM");
      for (const client of clients) {
        assert.deepEqual(await client.next((f) => f.type === "disconnect"), {
          type: "disconnect",
          reason: "server_restart",
          reconnect: true,
        });
      }
      assert.equal(await exited, 0, output);
      assert.ok(Date.now() - started < 10_000);
      assert.match(output, /"msg":"stopped"/);
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
