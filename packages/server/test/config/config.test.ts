/** The environment table of the README: defaults, and one clear line for each bad value. */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BUILT_ASSETS, ConfigError, loadConfig } from "../../src/config.js";

describe("loadConfig", () => {
  it("has working defaults", () => {
    const config = loadConfig({});
    assert.equal(config.port, 3100);
    assert.equal(config.host, "0.0.0.0");
    assert.match(config.storageDir, /storage$/);
    assert.equal(config.databaseUrl, undefined);
    assert.deepEqual(config.allowedOrigins, ["http://localhost:3000"]);
    assert.deepEqual(config.agentOrigins, [], "agents only on the server's own origin");
    assert.equal(config.rateLimitPerMinute, 30);
    assert.equal(config.newConversationsPerIpPerHour, 60);
    assert.equal(config.maxConnectionsPerAddress, 100);
    assert.equal(config.trustProxy, 0);
    assert.equal(config.logLevel, "info");
    assert.equal(config.cableMaxBufferedBytes, 1024 * 1024);
    assert.equal(loadConfig({ CABLE_MAX_BUFFERED_KB: "256" }).cableMaxBufferedBytes, 256 * 1024);
    assert.throws(() => loadConfig({ CABLE_MAX_BUFFERED_KB: "16" }), ConfigError, "below a frame's size");
  });

  it("reads every variable", () => {
    const config = loadConfig({
      PORT: "8080",
      HOST: "127.0.0.1",
      STORAGE_DIR: "/data",
      DATABASE_URL: "postgres://u:p@db/parley",
      ALLOWED_ORIGINS: "https://a.example, https://b.example:8443/",
      AGENT_ORIGINS: "https://www.a.example",
      ADMIN_USER: "boss",
      ADMIN_PASSWORD: "a fine password",
      SECRET_KEY_BASE: "x".repeat(64),
      RATE_LIMIT_PER_MINUTE: "10",
      NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
      MAX_CONNECTIONS_PER_ADDRESS: "0",
      TRUST_PROXY: "true",
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
    });
    assert.equal(config.port, 8080);
    assert.equal(config.storageDir, "/data");
    assert.deepEqual(config.allowedOrigins, ["https://a.example", "https://b.example:8443"]);
    assert.deepEqual(config.agentOrigins, ["https://www.a.example"]);
    assert.equal(config.newConversationsPerIpPerHour, 0);
    assert.equal(config.maxConnectionsPerAddress, 0);
    assert.deepEqual(config.ownerSettingsFromEnvironment, [
      "rate_limit_per_minute",
      "new_conversations_per_ip_per_hour",
    ]);
    assert.deepEqual(loadConfig({}).ownerSettingsFromEnvironment, []);
    assert.equal(loadConfig({ MAX_CONNECTIONS_PER_ADDRESS: "500" }).maxConnectionsPerAddress, 500);
    assert.equal(config.trustProxy, 1, "true is one hop: the nearest proxy");
    assert.equal(loadConfig({ TRUST_PROXY: "2" }).trustProxy, 2);
    assert.equal(loadConfig({ TRUST_PROXY: "false" }).trustProxy, 0);
    assert.deepEqual(loadConfig({ TRUST_PROXY: "10.0.0.0/8,127.0.0.1" }).trustProxy, [
      "10.0.0.0/8",
      "127.0.0.1",
    ]);
  });

  for (const [variable, value] of [
    ["PORT", "eighty"],
    ["PORT", "70000"],
    ["ALLOWED_ORIGINS", "example.com"],
    ["ALLOWED_ORIGINS", "https://a.example/path"],
    ["AGENT_ORIGINS", "www.example.com"],
    ["AGENT_ORIGINS", "https://a.example/admin"],
    ["DATABASE_URL", "mysql://db/x"],
    ["RATE_LIMIT_PER_MINUTE", "-1"],
    ["RATE_LIMIT_PER_MINUTE", "0"],
    ["NEW_CONVERSATIONS_PER_IP_PER_HOUR", "1.5"],
    ["MAX_CONNECTIONS_PER_ADDRESS", "-1"],
    ["MAX_CONNECTIONS_PER_ADDRESS", "lots"],
    ["TRUST_PROXY", "sometimes"],
    ["TRUST_PROXY", "11"],
    ["LOG_LEVEL", "loud"],
    ["NODE_ENV", "staging"],
    ["ADMIN_PASSWORD", "short"],
    ["ADMIN_USER", "has space"],
    ["SECRET_KEY_BASE", "tooshort"],
    ["REDIS_URL", "http://cache"],
    ["MAX_UPLOAD_MB", "0"],
    ["MAX_UPLOAD_MB", "ten"],
    ["UPLOADS_PER_IP_PER_HOUR", "-5"],
    ["UPLOAD_BYTES_PER_IP_MB", "lots"],
    ["UPLOAD_BYTES_PER_IP_MB", "5"],
    ["S3_BUCKET", "No_Such Bucket"],
    ["ASSETS_DIR", "/no/such/folder"],
    ["WIDGET_COLOR", "blue"],
    ["WIDGET_COLOR", "#2563eb;background:url(x)"],
    ["WIDGET_POSITION", "top"],
    ["WIDGET_TITLE", "x".repeat(81)],
    ["WIDGET_GREETING", "two\nlines"],
  ] as const) {
    it(`names ${variable} when it is "${value}"`, () => {
      assert.throws(
        () => loadConfig({ [variable]: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.variable === variable &&
          error.message.startsWith(`${variable}: `),
      );
    });
  }

  it("serves this checkout's builds, and fixes widget fields only where WIDGET_* says", () => {
    const config = loadConfig({});
    assert.deepEqual(config.assets, BUILT_ASSETS);
    assert.match(config.assets.widgetJs, /packages\/widget\/dist\/widget\.js$/);
    assert.ok(existsSync(config.assets.demoHtml), "the demo page is where the default says");
    assert.deepEqual(config.widget, {});
    assert.deepEqual(loadConfig({ WIDGET_COLOR: "#123" }).widget, { color: "#123" });
    const dir = mkdtempSync(join(tmpdir(), "parley-assets-"));
    try {
      const set = loadConfig({
        ASSETS_DIR: dir,
        WIDGET_TITLE: "Talk to Acme",
        WIDGET_GREETING: "Hello from Acme.",
        WIDGET_COLOR: "#0a0",
        WIDGET_POSITION: "left",
      });
      assert.deepEqual(set.assets, {
        widgetJs: join(dir, "widget.js"),
        demoHtml: join(dir, "demo.html"),
        inboxDir: join(dir, "inbox"),
      });
      assert.deepEqual(set.widget, {
        title: "Talk to Acme",
        greeting: "Hello from Acme.",
        color: "#0a0",
        position: "left",
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps uploads on disk, 10 MB at most, unless told otherwise", () => {
    const config = loadConfig({});
    assert.equal(config.maxUploadBytes, 10 * 1024 * 1024);
    assert.equal(config.s3, undefined);
    assert.equal(loadConfig({ MAX_UPLOAD_MB: "25" }).maxUploadBytes, 25 * 1024 * 1024);
  });

  it("caps visitors' uploads per address: 60 an hour, 50 MB waiting to be sent", () => {
    const config = loadConfig({});
    assert.equal(config.uploadsPerIpPerHour, 60);
    assert.equal(config.uploadBytesPerIp, 50 * 1024 * 1024);
    const set = loadConfig({ UPLOADS_PER_IP_PER_HOUR: "0", UPLOAD_BYTES_PER_IP_MB: "0" });
    assert.deepEqual([set.uploadsPerIpPerHour, set.uploadBytesPerIp], [0, 0]);
    assert.equal(
      loadConfig({ MAX_UPLOAD_MB: "1", UPLOAD_BYTES_PER_IP_MB: "3" }).uploadBytesPerIp,
      3 * 1024 * 1024,
    );
    // Below MAX_UPLOAD_MB no upload of the largest size could ever be kept.
    assert.throws(
      () => loadConfig({ MAX_UPLOAD_MB: "20", UPLOAD_BYTES_PER_IP_MB: "15" }),
      /UPLOAD_BYTES_PER_IP_MB: .*MAX_UPLOAD_MB \(20\)/,
    );
  });

  it("reads an S3-compatible bucket from S3_*, and names what is missing or wrong", () => {
    const s3 = loadConfig({
      S3_BUCKET: "parley-files",
      S3_ENDPOINT: "https://s3.example.com",
      S3_ACCESS_KEY_ID: "id",
      S3_SECRET_ACCESS_KEY: "secret",
      S3_FORCE_PATH_STYLE: "true",
    }).s3;
    assert.deepEqual(s3, {
      bucket: "parley-files",
      endpoint: "https://s3.example.com",
      region: "us-east-1",
      credentials: { accessKeyId: "id", secretAccessKey: "secret" },
      forcePathStyle: true,
    });
    assert.equal(loadConfig({ S3_BUCKET: "parley-files" }).s3?.credentials, undefined, "the SDK's own chain");
    const fails = (env: Record<string, string>, variable: string) =>
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && error.variable === variable,
      );
    fails({ S3_ENDPOINT: "https://s3.example.com" }, "S3_BUCKET");
    fails({ S3_BUCKET: "parley-files", S3_ACCESS_KEY_ID: "id" }, "S3_SECRET_ACCESS_KEY");
    fails({ S3_BUCKET: "parley-files", S3_SECRET_ACCESS_KEY: "secret" }, "S3_ACCESS_KEY_ID");
    fails({ S3_BUCKET: "parley-files", S3_ENDPOINT: "s3.example.com" }, "S3_ENDPOINT");
    fails({ S3_BUCKET: "parley-files", S3_FORCE_PATH_STYLE: "maybe" }, "S3_FORCE_PATH_STYLE");
  });

  it("stops the boot with one line naming the variable", () => {
    const result = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "packages/server/src/main.ts"],
      {
        env: { ...process.env, PORT: "eighty" },
        encoding: "utf8",
        timeout: 20_000,
      },
    );
    assert.equal(result.status, 78);
    assert.equal(result.stderr.trim(), 'Parley cannot start: PORT: expected a whole number, got "eighty"');
  });
});
