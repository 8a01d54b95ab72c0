/**
 * The deployment files agree with each other and with the server: port 3100, the storage path,
 * the health check, the env and secret names (issue: Dockerfile, bin/docker-entrypoint,
 * config/deploy.yml, .kamal/secrets, the workflows and docs/deploy.md).
 */
import assert from "node:assert/strict";
import { accessSync, constants, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { readDeployConfig } from "../../../../scripts/container/deployConfig.mjs";
import { loadConfig } from "../../src/config.js";
import { missingNodeFlags, SERVER_NODE_FLAGS } from "../../src/nodeFlags.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const read = (path: string) => readFileSync(join(REPO, path), "utf8");
const deploy = readDeployConfig(join(REPO, "config/deploy.yml"));
const dockerfile = read("Dockerfile");
const SECRETS = [
  "ADMIN_USER",
  "ADMIN_PASSWORD",
  "SECRET_KEY_BASE",
  "VAPID_PUBLIC_KEY",
  "VAPID_PRIVATE_KEY",
  "VAPID_SUBJECT",
];

/** NAME=$NAME lines of .kamal/secrets. */
function kamalSecrets(): string[] {
  const names: string[] = [];
  for (const line of read(".kamal/secrets").split("\n")) {
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue;
    const match = /^([A-Z][A-Z0-9_]*)=\$([A-Z][A-Z0-9_]*)$/.exec(line.trim());
    assert.ok(match && match[1] === match[2], `.kamal/secrets holds a reference only, not "${line}"`);
    names.push(match[1]!);
  }
  return names;
}

test("config/deploy.yml: proxy with TLS on port 3100, health check /up, storage volume, amd64", () => {
  assert.equal(deploy.service, "parley");
  assert.ok(deploy.image, "image");
  assert.equal(deploy.proxy.ssl, "true");
  assert.ok(deploy.proxy.host, "proxy.host");
  assert.equal(deploy.proxy.app_port, "3100");
  assert.equal(deploy.proxy.healthcheck.path, "/up");
  assert.deepEqual(deploy.volumes, ["parley_storage:/app/storage"]);
  assert.equal(deploy.builder.arch, "amd64");
  assert.match(read("config/deploy.yml"), /^servers:\n {2}web:/m);
});

test("config/deploy.yml: the issue's env, and values the server accepts", () => {
  assert.deepEqual(deploy.secret, SECRETS);
  for (const name of ["ALLOWED_ORIGINS", "LOG_LEVEL", "RATE_LIMIT_PER_MINUTE"])
    assert.ok(name in deploy.clear, name);
  const config = loadConfig({
    ...deploy.clear,
    ADMIN_USER: "owner",
    ADMIN_PASSWORD: "a-long-password",
    SECRET_KEY_BASE: "x".repeat(64),
    NODE_ENV: "production",
  });
  assert.equal(config.rateLimitPerMinute, Number(deploy.clear.RATE_LIMIT_PER_MINUTE));
  assert.equal(config.port, 3100, "the server's default port is the proxy's app_port");
});

test("Dockerfile: multi-stage on node:24-bookworm-slim, uid 1000, port 3100, STORAGE_DIR=/app/storage", () => {
  assert.match(dockerfile, /^ARG NODE_IMAGE=node:24-bookworm-slim$/m);
  assert.match(
    dockerfile,
    /^COPY package\.json package-lock\.json \.npmrc \.\/$/m,
    "npm ci is engine-strict",
  );
  assert.ok((dockerfile.match(/^FROM /gm) ?? []).length >= 3, "dependencies → build → final");
  assert.match(dockerfile, /^\s+PORT=3100/m);
  assert.match(dockerfile, /^\s+STORAGE_DIR=\/app\/storage$/m);
  assert.match(dockerfile, /^EXPOSE 3100$/m);
  assert.match(dockerfile, /^USER 1000:1000$/m);
  assert.match(dockerfile, /^ENTRYPOINT \["\/app\/bin\/docker-entrypoint"\]$/m);
  const serverCommand = JSON.stringify(["node", ...SERVER_NODE_FLAGS, "packages/server/dist/main.js"]);
  assert.ok(
    dockerfile.split("\n").includes(`CMD ${serverCommand.replaceAll(",", ", ")}`),
    `CMD ${serverCommand}: the server's Node flags (nodeFlags.ts)`,
  );
  assert.match(dockerfile, /npm prune --omit=dev/);
});

test("npm start runs the server with its Node flags, as the image does", () => {
  const { scripts } = JSON.parse(read("package.json")) as { scripts: Record<string, string> };
  const start = scripts.start ?? "";
  assert.ok(
    start.endsWith(`node ${SERVER_NODE_FLAGS.join(" ")} packages/server/dist/main.js`),
    `start: ${start}`,
  );
  assert.deepEqual(missingNodeFlags(start.split(" ")), []);
  assert.deepEqual(missingNodeFlags([]), [...SERVER_NODE_FLAGS], "a bare `node main.js` lacks them all");
});

test("bin/docker-entrypoint: migrates before the server, then execs it", () => {
  accessSync(join(REPO, "bin/docker-entrypoint"), constants.X_OK);
  const entrypoint = read("bin/docker-entrypoint");
  assert.match(entrypoint, /node packages\/server\/dist\/cli\.js migrate/);
  assert.match(entrypoint, /\*\/server\/dist\/main\.js\)/, "recognises the Dockerfile's CMD");
  assert.match(entrypoint, /^exec "\$@"$/m);
});

test(".dockerignore keeps the repo's history, dependencies, builds, storage and secrets out", () => {
  const ignored = read(".dockerignore")
    .split("\n")
    .map((line) => line.trim());
  for (const entry of [
    ".git",
    "node_modules",
    "**/node_modules",
    "**/dist",
    "storage",
    "**/.env",
    ".kamal",
  ]) {
    assert.ok(ignored.includes(entry), entry);
  }
});

test(".kamal/secrets: references only, for every secret deploy.yml names", () => {
  const names = kamalSecrets();
  for (const name of [...SECRETS, "KAMAL_REGISTRY_PASSWORD"]) assert.ok(names.includes(name), name);
});

test("workflows: CI runs .ci/run on Node 24; deploy runs kamal deploy with every secret", () => {
  const ci = read(".github/workflows/ci.yml");
  assert.match(ci, /run: bash \.ci\/run$/m);
  assert.match(ci, /image: node:24-bookworm$/m);
  assert.match(ci, /postgres/);
  assert.match(ci, /redis/);
  assert.match(ci, /chromium/);
  assert.match(ci, /docker run --rm parley:ci node --version .*\^v24/);
  // .ci/run installs Node 24 and puts it first on PATH before anything runs, then runs it all.
  const commands = read(".ci/run")
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"));
  const order = [
    "bash scripts/ci/install-node.sh",
    'export PATH="$node_prefix/bin:$PATH"',
    "node --version",
    "npm ci",
    "npm run typecheck",
    "npm run lint",
    "npm run test:container",
    "npm test",
  ].map((step) => [step, commands.findIndex((line) => line.includes(step))] as const);
  for (const [step, at] of order) assert.ok(at >= 0, `.ci/run runs ${step}`);
  assert.deepEqual(
    order.map(([step]) => step),
    [...order].sort((a, b) => a[1] - b[1]).map(([step]) => step),
    "in this order",
  );
  const workflow = read(".github/workflows/deploy.yml");
  assert.match(workflow, /branches: \[main\]/);
  assert.match(workflow, /concurrency:\n {2}group: deploy\n {2}cancel-in-progress: true/);
  assert.match(workflow, /ruby\/setup-ruby/);
  assert.match(workflow, /setup-buildx-action/);
  assert.match(workflow, /known_hosts/);
  assert.match(workflow, /run: kamal deploy$/m);
  const docs = read("docs/deploy.md");
  for (const name of [...kamalSecrets(), "SSH_PRIVATE_KEY", "SSH_KNOWN_HOSTS"]) {
    assert.ok(workflow.includes(`secrets.${name}`), `deploy.yml passes ${name}`);
    assert.ok(docs.includes(`\`${name}\``), `docs/deploy.md lists ${name}`);
  }
});

test("docs/deploy.md covers the first deploy, backups, rollback, Postgres/Redis and the four checks", () => {
  const docs = read("docs/deploy.md");
  for (const needle of [
    "kamal setup",
    "node packages/server/dist/cli.js backup /app/storage/backup.sqlite3",
    "kamal app exec 'printenv RATE_LIMIT_PER_MINUTE'",
    "kamal rollback",
    "parley.sqlite3",
    "/var/lib/docker/volumes/parley_storage/_data",
    "DATABASE_URL",
    "REDIS_URL",
    "3100",
    "/app/storage",
    "/up",
    "npm run test:container",
  ]) {
    assert.ok(docs.includes(needle), needle);
  }
  for (const name of [...SECRETS, ...Object.keys(deploy.clear)]) assert.ok(docs.includes(name), name);
});

test("package.json has the container test's script", () => {
  const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts["test:container"], "bash scripts/container/run.sh");
});
