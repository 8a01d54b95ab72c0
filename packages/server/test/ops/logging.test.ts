/** Logs are JSON, and never hold a password, a cookie or a visitor token. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import pino from "pino";
import { loadConfig } from "../../src/config.js";
import { REDACTED_PATHS } from "../../src/log.js";
import { startServer } from "../../src/server.js";
import { openRawCable } from "../support/rawCable.js";

describe("logging", () => {
  it("keeps secrets out of every line, at the most verbose level", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
        done();
      },
    });
    const logger = pino({ level: "trace", redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, sink);
    const dir = mkdtempSync(join(tmpdir(), "parley-log-"));
    const password = "s3cret-Passw0rd-value";
    const token = "tok3n-visitor-abcdefghijklmnop";
    const server = await startServer(
      loadConfig({
        PORT: "0",
        HOST: "127.0.0.1",
        STORAGE_DIR: dir,
        ADMIN_USER: "owner",
        ADMIN_PASSWORD: password,
        LOG_LEVEL: "trace",
      }),
      { logger },
    );
    try {
      const wrong = await fetch(`${server.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "owner", password: `${password}-wrong` }),
      });
      assert.equal(wrong.status, 401);
      const ok = await fetch(`${server.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "owner", password }),
      });
      const cookie = ok.headers.get("set-cookie")!.split(";")[0]!;
      const cookieValue = cookie.split("=")[1]!;
      await fetch(`${server.url}/conversations`, { headers: { cookie } });
      const cable = await openRawCable(server.url, { query: `?token=${token}`, cookie });
      const id = cable.subscribe({ channel: "VisitorChannel", token });
      cable.perform(id, { action: "send_message", content: "hi" });
      await cable.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
      cable.sendText("{garbage");
      await cable.closed;

      assert.ok(lines.length > 3, "something was logged");
      // The connection's own lines say which connection and who, without the token or cookie.
      const invalid = lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((line) => line.msg === "invalid cable frame");
      assert.equal(typeof invalid?.connection, "string");
      assert.equal(invalid?.identity, "agent");
      assert.equal(typeof invalid?.agentId, "number");
      for (const line of lines) {
        assert.doesNotThrow(() => JSON.parse(line), "every line is JSON");
        for (const secret of [password, token, cookieValue, decodeURIComponent(cookieValue)]) {
          assert.ok(!line.includes(secret), `a log line holds a secret: ${line}`);
        }
      }
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
