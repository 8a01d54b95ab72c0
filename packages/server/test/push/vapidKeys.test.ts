/** The VAPID identity: from the environment, or generated once into STORAGE_DIR and kept. */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import webpush from "web-push";
import { ConfigError, DEFAULT_VAPID_SUBJECT, loadConfig } from "../../src/config.js";
import {
  generateVapidKeys,
  loadVapidKeys,
  VAPID_KEYS_FILE,
  vapidKeyProblem,
} from "../../src/push/vapidKeys.js";

const root = mkdtempSync(join(tmpdir(), "parley-vapid-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("VAPID keys", () => {
  it("are generated once into STORAGE_DIR as environment lines (mode 0600) and kept", () => {
    const dir = join(root, "generated");
    const first = loadVapidKeys(dir, undefined);
    assert.equal(first.generated, true);
    assert.equal(vapidKeyProblem(first.keys), undefined);
    const file = join(dir, VAPID_KEYS_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(
      readFileSync(file, "utf8"),
      `VAPID_PUBLIC_KEY=${first.keys.publicKey}\nVAPID_PRIVATE_KEY=${first.keys.privateKey}\n`,
    );
    assert.deepEqual(loadVapidKeys(dir, undefined), { keys: first.keys, generated: false });
  });

  it("come from the environment when set, and the generated file's lines are valid there", () => {
    const dir = join(root, "moved");
    const { keys } = loadVapidKeys(dir, undefined);
    const env = Object.fromEntries(
      readFileSync(join(dir, VAPID_KEYS_FILE), "utf8")
        .trim()
        .split("\n")
        .map((line) => line.split("=") as [string, string]),
    );
    const config = loadConfig({ ...env, VAPID_SUBJECT: "mailto:ops@example.com" });
    assert.deepEqual(config.vapidKeys, keys);
    assert.equal(config.vapidSubject, "mailto:ops@example.com");
    const other = webpush.generateVAPIDKeys();
    assert.deepEqual(loadVapidKeys(dir, other), { keys: other, generated: false });
  });

  it("are generated as web-push's own pairs: 32-byte scalars even with leading zeros, usable to sign", () => {
    // One private scalar in 256 starts with a zero byte, which Node's getPrivateKey drops.
    for (let i = 0; i < 2000; i++) {
      const keys = generateVapidKeys();
      assert.equal(vapidKeyProblem(keys), undefined, JSON.stringify(keys));
    }
    const keys = generateVapidKeys();
    const headers = webpush.getVapidHeaders(
      "https://push.example.com",
      "mailto:ops@example.com",
      keys.publicKey,
      keys.privateKey,
      "aes128gcm",
    );
    assert.match(String(headers.Authorization), new RegExp(`^vapid t=.+, k=${keys.publicKey}$`));
  });

  it("refuse a damaged key file with a message naming it", () => {
    const dir = join(root, "damaged");
    loadVapidKeys(dir, undefined);
    writeFileSync(join(dir, VAPID_KEYS_FILE), "VAPID_PUBLIC_KEY=nope\n");
    assert.throws(() => loadVapidKeys(dir, undefined), /vapid_keys: VAPID_PUBLIC_KEY/);
  });
});

describe("push configuration", () => {
  const pair = webpush.generateVAPIDKeys();
  const other = webpush.generateVAPIDKeys();

  it("defaults: generated keys, a placeholder subject, only the browsers' push services", () => {
    const config = loadConfig({});
    assert.equal(config.vapidKeys, undefined);
    assert.equal(config.vapidSubject, DEFAULT_VAPID_SUBJECT);
    assert.deepEqual(config.pushEndpointOrigins, []);
    assert.deepEqual(
      loadConfig({ PUSH_ENDPOINT_ORIGINS: "https://push.internal:8443, https://127.0.0.1:9000/" })
        .pushEndpointOrigins,
      ["https://push.internal:8443", "https://127.0.0.1:9000"],
    );
  });

  for (const [env, variable] of [
    [{ VAPID_PUBLIC_KEY: pair.publicKey }, "VAPID_PRIVATE_KEY"],
    [{ VAPID_PRIVATE_KEY: pair.privateKey }, "VAPID_PUBLIC_KEY"],
    [{ VAPID_PUBLIC_KEY: "short", VAPID_PRIVATE_KEY: pair.privateKey }, "VAPID_PUBLIC_KEY"],
    [{ VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: "short" }, "VAPID_PRIVATE_KEY"],
    [{ VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: other.privateKey }, "VAPID_PRIVATE_KEY"],
    [{ VAPID_SUBJECT: "ops@example.com" }, "VAPID_SUBJECT"],
    [{ VAPID_SUBJECT: "http://example.com" }, "VAPID_SUBJECT"],
    [{ PUSH_ENDPOINT_ORIGINS: "http://push.internal" }, "PUSH_ENDPOINT_ORIGINS"],
    [{ PUSH_ENDPOINT_ORIGINS: "https://push.internal/path" }, "PUSH_ENDPOINT_ORIGINS"],
  ] as const) {
    it(`names ${variable} for ${JSON.stringify(env).slice(0, 60)}`, () => {
      assert.throws(
        () => loadConfig(env),
        (error: unknown) => error instanceof ConfigError && error.variable === variable,
      );
    });
  }
});
