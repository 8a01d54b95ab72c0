// The production image, built and run without a container engine (`npm run test:container`,
// as root; scripts/container/run.sh prepares the base image first).
//
// 1. `podman build --isolation chroot` builds the real Dockerfile from a copy of the repo's
//    files, planted with canary secrets that must not reach the image.
// 2. The final image's filesystem is copied out (`podman image mount`) and its entrypoint runs
//    there with chroot as uid 1000, in a network namespace of its own (so it listens on 3100 as
//    in production without taking the machine's port), the storage folder bind-mounted from
//    outside and the environment of config/deploy.yml.
// 3. Node 24 in the image, /up, a conversation, a clean SIGTERM, and a second start on the same
//    storage.
// 4. What the image holds: no dev dependencies, tests, sources, .git, or secrets; its size.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  chownSync,
  closeSync,
  openSync,
  lstatSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { readDeployConfig } from "./deployConfig.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const IMAGE = process.env.PARLEY_TEST_IMAGE ?? "localhost/parley:container-test";
const APP_UID = 1000;

const work = mkdtempSync(join(tmpdir(), "parley-container-"));
const context = join(work, "context");
const rootfs = join(work, "rootfs");
const storage = join(work, "storage");
const netns = `parley-ct-${process.pid}`;
const deploy = readDeployConfig(join(repo, "config", "deploy.yml"));
const appPort = Number(deploy.proxy.app_port);

const state = {
  built: false,
  extracted: false,
  imageConfig: null,
  token: null,
  content: null,
  messageId: null,
};
const running = new Set();

// ---- secrets: what Kamal would inject at run time, and canaries planted in the build context --
function vapidKeys() {
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const pub = publicKey.export({ format: "jwk" });
  const priv = privateKey.export({ format: "jwk" });
  const raw = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(pub.x, "base64url"),
    Buffer.from(pub.y, "base64url"),
  ]);
  return { publicKey: raw.toString("base64url"), privateKey: priv.d };
}
const vapid = vapidKeys();
const secrets = {
  ADMIN_USER: `ops-${randomBytes(6).toString("hex")}`,
  ADMIN_PASSWORD: `pw-${randomBytes(16).toString("hex")}`,
  SECRET_KEY_BASE: randomBytes(64).toString("hex"),
  VAPID_PUBLIC_KEY: vapid.publicKey,
  VAPID_PRIVATE_KEY: vapid.privateKey,
  VAPID_SUBJECT: `mailto:ops-${randomBytes(4).toString("hex")}@example.com`,
};
const buildCanary = `canary-${randomBytes(12).toString("hex")}`;
const secretValues = () => [...Object.values(secrets).filter((v) => v.length >= 16), buildCanary];

// ---- helpers ----------------------------------------------------------------------------------
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status}\n${(result.stderr || result.stdout).slice(-4000)}`,
    );
  }
  return result;
}

function tail(path, lines = 60) {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Mounts of this machine at or below `dir`: deleting a folder with a live mount inside would
 * delete what is mounted there. The test's mounts live in private mount namespaces only. */
function mountsUnder(dir) {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .map((line) => line.split(" ")[4])
    .filter((point) => point && (point === dir || point.startsWith(`${dir}/`)));
}

function imageEnv() {
  const env = {};
  for (const entry of state.imageConfig.Env ?? []) {
    const at = entry.indexOf("=");
    env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

/** The environment a `kamal deploy` container gets: the image's ENV, then deploy.yml's env. */
function containerEnv(extra = {}) {
  const env = { ...imageEnv(), HOME: "/home/node", HOSTNAME: "parley-web-test", ...deploy.clear };
  for (const name of deploy.secret) {
    assert.ok(name in secrets, `deploy.yml lists the secret ${name}; the test has no value for it`);
    env[name] = secrets[name];
  }
  return { ...env, ...extra };
}

// Runs inside a private mount namespace within the test's network namespace: mounts /dev, /proc
// and the storage folder into the image's filesystem, then chroots as uid 1000 into its working
// directory and execs the command, so the process that gets SIGTERM is the command itself.
const LAUNCH = `set -e
root="$1"; storage="$2"; workdir="$3"; shift 3
mount --rbind /dev "$root/dev"
mount -t proc proc "$root/proc" 2>/dev/null || mount --rbind /proc "$root/proc"
mount --bind "$storage" "$root/app/storage"
exec chroot --userspec=${APP_UID}:${APP_UID} "$root" /bin/sh -c 'cd "$0" && exec "$@"' "$workdir" "$@"`;

function launchArgs(command) {
  return [
    "netns",
    "exec",
    netns,
    "unshare",
    "--mount",
    "--propagation",
    "private",
    "--",
    "/bin/sh",
    "-c",
    LAUNCH,
    "launch",
    rootfs,
    storage,
    state.imageConfig.WorkingDir || "/",
    ...command,
  ];
}

/** `docker run IMAGE` as Kamal does it: the image's ENTRYPOINT and CMD. */
function startContainer(label) {
  // Straight into a file: the probes run synchronously, and a pipe nobody drains meanwhile
  // would fill up and stall the server.
  const log = join(work, `${label}.log`);
  const fd = openSync(log, "w");
  const command = [...(state.imageConfig.Entrypoint ?? []), ...(state.imageConfig.Cmd ?? [])];
  const child = spawn("ip", launchArgs(command), { env: containerEnv(), stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  const container = { child, log, exited };
  running.add(container);
  exited.then(() => running.delete(container));
  return container;
}

/** `kamal app exec 'COMMAND'`: a one-off container with the same image, env and volume. */
function execInContainer(command) {
  const entrypoint = state.imageConfig.Entrypoint ?? [];
  return run("ip", launchArgs([...entrypoint, ...command]), { env: containerEnv(), timeout: 120_000 });
}

function probe(args, options = {}) {
  const result = run("ip", ["netns", "exec", netns, process.execPath, join(here, "probe.mjs"), ...args], {
    env: {
      ...process.env,
      PROBE_PORT: String(appPort),
      PROBE_ORIGIN: deploy.clear.ALLOWED_ORIGINS.split(",")[0],
    },
    timeout: 90_000,
    allowFailure: true,
    ...options,
  });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  let parsed;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new Error(`probe ${args[0]}: no answer (exit ${result.status}): ${result.stderr.slice(-2000)}`);
  }
  if (parsed.error) throw new Error(`probe ${args[0]}: ${parsed.error}`);
  return parsed;
}

/** kamal-proxy's wait for a new container: /up until 200, giving up if the process ends. */
async function waitUp(container, timeoutMs = 90_000) {
  const started = Date.now();
  for (;;) {
    // Let the child's exit event through between the synchronous probes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (container.child.exitCode !== null || container.child.signalCode !== null) {
      throw new Error(
        `the server exited (${container.child.exitCode ?? container.child.signalCode}) before /up answered`,
      );
    }
    try {
      const result = probe(["up", "3000"]);
      return { ...result, waitedMs: Date.now() - started };
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
    }
  }
}

/** A visitor that stays connected in the background; resolves how the server closed it. */
function holdingVisitor(token) {
  const child = spawn(
    "ip",
    ["netns", "exec", netns, process.execPath, join(here, "probe.mjs"), "hold", token],
    {
      env: {
        ...process.env,
        PROBE_PORT: String(appPort),
        PROBE_ORIGIN: deploy.clear.ALLOWED_ORIGINS.split(",")[0],
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const lines = [];
  let buffered = "";
  let onLine = () => {};
  child.stdout.on("data", (chunk) => {
    buffered += chunk;
    let at;
    while ((at = buffered.indexOf("\n")) !== -1) {
      lines.push(JSON.parse(buffered.slice(0, at)));
      buffered = buffered.slice(at + 1);
      onLine();
    }
  });
  const waitLine = (n, ms) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`visitor probe: ${JSON.stringify(lines)}`)), ms);
      onLine = () => {
        if (lines.length >= n) {
          clearTimeout(timer);
          resolve(lines[n - 1]);
        }
      };
      onLine();
    });
  return { child, ready: () => waitLine(1, 15_000), closed: () => waitLine(2, 20_000) };
}

async function stopContainer(container, timeoutMs = 15_000) {
  const started = Date.now();
  container.child.kill("SIGTERM");
  let timer;
  const deadline = new Promise((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const result = await Promise.race([container.exited, deadline]);
  clearTimeout(timer);
  if (result === null) {
    container.child.kill("SIGKILL");
    await container.exited;
    return { code: null, signal: "SIGKILL (did not stop in time)", ms: Date.now() - started };
  }
  return { ...result, ms: Date.now() - started };
}

function walk(dir, visit, skip = () => false) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip(path)) continue;
    const info = lstatSync(path);
    visit(path, info);
    if (info.isDirectory()) walk(path, visit, skip);
  }
}

function mb(bytes) {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

// ---- setup and teardown -----------------------------------------------------------------------
before(() => {
  // The build context: the repo's files as git sees them (tracked and new, not ignored), plus
  // canaries where secrets and local junk live in a real checkout. .dockerignore must keep
  // every one of them out of the image.
  const listed = run("git", ["ls-files", "-z", "-co", "--exclude-standard"], { cwd: repo }).stdout.split(
    "\0",
  );
  const files = listed.filter(
    (file) => file && existsSync(join(repo, file)) && !lstatSync(join(repo, file)).isDirectory(),
  );
  writeFileSync(join(work, "files"), files.join("\0"));
  mkdirSync(context);
  run("sh", [
    "-c",
    `tar -C "$0" --null -T "$1" -cf - | tar -C "$2" -xf -`,
    repo,
    join(work, "files"),
    context,
  ]);
  const canaries = {
    ".env": `SECRET_KEY_BASE=${buildCanary}\n`,
    ".env.production": `ADMIN_PASSWORD=${buildCanary}\n`,
    ".git/config": `[parley]\n\ttoken = ${buildCanary}\n`,
    ".kamal/secrets.local": `ADMIN_PASSWORD=${buildCanary}\n`,
    "storage/parley.sqlite3": `not a database ${buildCanary}\n`,
    "node_modules/left-behind/index.js": `module.exports = "${buildCanary}";\n`,
    "packages/server/dist/stale.js": `export const stale = "${buildCanary}";\n`,
    "packages/server/test/canary.test.ts": `// ${buildCanary}\n`,
  };
  for (const [file, text] of Object.entries(canaries)) {
    mkdirSync(dirname(join(context, file)), { recursive: true });
    writeFileSync(join(context, file), text);
  }
  mkdirSync(storage);
  chownSync(storage, APP_UID, APP_UID);
  run("ip", ["netns", "add", netns]);
  run("ip", ["netns", "exec", netns, "ip", "link", "set", "lo", "up"]);
});

after(async () => {
  for (const container of running) {
    container.child.kill("SIGKILL");
    await container.exited;
  }
  run("ip", ["netns", "delete", netns], { allowFailure: true });
  run("podman", ["image", "unmount", IMAGE], { allowFailure: true });
  if (process.env.KEEP_CONTAINER_TEST_DIR) {
    console.log(`# kept ${work}`);
    return;
  }
  const live = mountsUnder(work);
  if (live.length > 0) {
    console.log(`# not deleting ${work}: still mounted: ${live.join(", ")}`);
    return;
  }
  run("rm", ["-rf", "--one-file-system", work], { allowFailure: true });
});

// ---- 1. build ---------------------------------------------------------------------------------
test("podman builds the real Dockerfile", { timeout: 20 * 60_000 }, async (t) => {
  const log = join(work, "build.log");
  const started = Date.now();
  // The build runs with the run-time secrets in its environment, as on a CI runner that holds
  // them: none may reach the image.
  const child = spawn(
    "podman",
    [
      "build",
      "--isolation",
      "chroot",
      "--pull=never",
      "--layers",
      "-t",
      IMAGE,
      "-f",
      join(context, "Dockerfile"),
      context,
    ],
    { env: { ...process.env, ...secrets, BUILD_CANARY: buildCanary }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const out = createWriteStream(log);
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const code = await new Promise((resolve) => child.on("exit", resolve));
  assert.equal(code, 0, `podman build failed:\n${tail(log)}`);
  t.diagnostic(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  state.imageConfig = JSON.parse(run("podman", ["image", "inspect", IMAGE]).stdout)[0].Config;
  state.built = true;

  const mount = run("podman", ["image", "mount", IMAGE]).stdout.trim();
  try {
    mkdirSync(rootfs);
    run("sh", [
      "-c",
      `tar -C "$0" --numeric-owner -cf - . | tar -C "$1" --numeric-owner -xpf -`,
      mount,
      rootfs,
    ]);
  } finally {
    run("podman", ["image", "unmount", IMAGE], { allowFailure: true });
  }
  state.extracted = true;
});

// ---- the image's configuration agrees with config/deploy.yml ----------------------------------
test("image runs as uid 1000 on port 3100 with STORAGE_DIR=/app/storage, as deploy.yml expects", (t) => {
  if (!state.built) return t.skip("no image");
  const config = state.imageConfig;
  const env = imageEnv();
  assert.match(String(config.User), /^1000(:1000)?$|^node$/, `USER is ${config.User}`);
  assert.equal(env.STORAGE_DIR, "/app/storage");
  assert.equal(env.NODE_ENV, "production");
  assert.equal(Number(env.PORT), appPort, "the image's PORT is deploy.yml's proxy.app_port");
  assert.equal(appPort, 3100);
  assert.ok(Object.keys(config.ExposedPorts ?? {}).includes(`${appPort}/tcp`), "EXPOSE 3100");
  assert.deepEqual(config.Entrypoint, ["/app/bin/docker-entrypoint"]);
  assert.equal(deploy.proxy.healthcheck.path, "/up");
  assert.ok(
    deploy.volumes.some((volume) => volume.split(":")[1] === env.STORAGE_DIR),
    "a volume on STORAGE_DIR",
  );
  const storageDir = statSync(join(rootfs, "app", "storage"));
  assert.equal(storageDir.uid, APP_UID, "/app/storage belongs to uid 1000");
  const code = statSync(join(rootfs, "app", "packages", "server", "dist", "main.js"));
  assert.equal(code.uid, 0, "the code stays root-owned");
  assert.equal(code.mode & 0o002, 0, "and not writable by the app");
});

test("the image runs the Node.js major of the Dockerfile's NODE_IMAGE (24 LTS)", { timeout: 60_000 }, (t) => {
  if (!state.extracted) return t.skip("no image");
  const baseName = readFileSync(join(repo, "Dockerfile"), "utf8").match(/^ARG NODE_IMAGE=(.+)$/m)?.[1] ?? "";
  const major = /^node:(\d+)-/.exec(baseName)?.[1];
  assert.equal(major, "24", `NODE_IMAGE is ${baseName}`);
  // As `kamal app exec 'node --version'` would run it: the entrypoint, uid 1000, the image's PATH.
  const version = execInContainer(["node", "--version"]).stdout.trim();
  t.diagnostic(`node ${version} in the image`);
  assert.match(version, new RegExp(`^v${major}\\.\\d+\\.\\d+$`));
});

// ---- 2 and 3. run it --------------------------------------------------------------------------
test(
  "first start: migrations run, /up answers 200, a visitor's conversation works",
  { timeout: 180_000 },
  async (t) => {
    if (!state.extracted) return t.skip("no image");
    const container = startContainer("first-start");
    try {
      const upResult = await waitUp(container);
      t.diagnostic(`/up answered 200 after ${upResult.waitedMs} ms`);
      state.token = `container-${randomBytes(12).toString("hex")}`;
      state.content = `hello from the container test ${randomBytes(4).toString("hex")}`;
      const visit = probe(["visit", state.token, state.content]);
      assert.equal(visit.message.content, state.content);
      assert.equal(visit.message.sender, "visitor");
      assert.equal(typeof visit.message.id, "number");
      state.messageId = visit.message.id;
      const agent = probe(["agent", secrets.ADMIN_USER, secrets.ADMIN_PASSWORD, state.token]);
      assert.ok(agent.conversation, "the agent created from ADMIN_USER/ADMIN_PASSWORD sees the conversation");
      assert.ok(agent.messages.some((m) => m.id === state.messageId && m.content === state.content));
    } catch (error) {
      throw new Error(`${error.message}\n--- server log ---\n${tail(container.log)}`, { cause: error });
    } finally {
      state.first = container;
    }
  },
);

test(
  "SIGTERM: connected visitors are told server_restart and the process exits cleanly",
  { timeout: 60_000 },
  async (t) => {
    const container = state.first;
    if (!container) return t.skip("not started");
    const visitor = holdingVisitor(`holder-${randomBytes(12).toString("hex")}`);
    try {
      await visitor.ready();
      const stopped = await stopContainer(container);
      t.diagnostic(`stopped in ${stopped.ms} ms (code ${stopped.code}, signal ${stopped.signal})`);
      const closed = await visitor.closed();
      assert.deepEqual(closed.disconnect, { type: "disconnect", reason: "server_restart", reconnect: true });
      assert.equal(stopped.code, 0, `exit: ${JSON.stringify(stopped)}\n${tail(container.log)}`);
      assert.ok(stopped.ms < 11_000, `took ${stopped.ms} ms`);
    } finally {
      visitor.child.kill();
    }
  },
);

test("the SQLite files are on the bind-mounted storage folder, owned by uid 1000", (t) => {
  if (!state.messageId) return t.skip("no conversation");
  const files = readdirSync(storage);
  t.diagnostic(`storage: ${files.join(", ")}`);
  assert.ok(files.includes("parley.sqlite3"), `no parley.sqlite3 in ${files.join(", ")}`);
  assert.equal(statSync(join(storage, "parley.sqlite3")).uid, APP_UID);
  assert.deepEqual(
    readdirSync(join(rootfs, "app", "storage")),
    [],
    "nothing was written into the image's own folder",
  );
});

test("second start on the same storage: the conversation is still there", { timeout: 180_000 }, async (t) => {
  if (!state.messageId) return t.skip("no conversation");
  const container = startContainer("second-start");
  try {
    await waitUp(container);
    const agent = probe(["agent", secrets.ADMIN_USER, secrets.ADMIN_PASSWORD, state.token]);
    assert.ok(agent.conversation, "the conversation survived the restart");
    assert.ok(agent.messages.some((m) => m.id === state.messageId && m.content === state.content));
    const visit = probe(["visit", state.token, "and again after the restart"]);
    assert.ok(visit.history, "the returning visitor gets its history");
    assert.ok(
      visit.history.messages.some((m) => m.id === state.messageId),
      "with the first message",
    );
    assert.ok(visit.message.id > state.messageId, "ids keep growing across restarts");
    for (const path of ["/widget.js", "/admin/"]) {
      const response = probe(["get", path]);
      t.diagnostic(`GET ${path}: ${response.status} ${response.contentType} ${response.length} bytes`);
      assert.equal(response.status, 200, `GET ${path} from the image's layout`);
    }
  } catch (error) {
    throw new Error(`${error.message}\n--- server log ---\n${tail(container.log)}`, { cause: error });
  } finally {
    const stopped = await stopContainer(container);
    assert.equal(stopped.code, 0, `second stop: ${JSON.stringify(stopped)}`);
  }
});

test("kamal app exec equivalents: printenv and the backup command", { timeout: 120_000 }, (t) => {
  if (!state.extracted) return t.skip("no image");
  const printed = execInContainer(["printenv", "RATE_LIMIT_PER_MINUTE"]).stdout.trim();
  assert.equal(printed, deploy.clear.RATE_LIMIT_PER_MINUTE, "env.clear reaches the container");
  const backup = execInContainer([
    "node",
    "packages/server/dist/cli.js",
    "backup",
    "/app/storage/backup.sqlite3",
  ]);
  t.diagnostic(`backup: ${backup.stdout.trim().split("\n").pop()}`);
  const copy = join(storage, "backup.sqlite3");
  assert.ok(existsSync(copy), "the backup lands on the volume");
  assert.equal(readFileSync(copy).subarray(0, 15).toString(), "SQLite format 3");
});

// ---- 4. what the image holds ------------------------------------------------------------------
test("no dev dependencies, and every production dependency", (t) => {
  if (!state.extracted) return t.skip("no image");
  const lock = JSON.parse(readFileSync(join(repo, "package-lock.json"), "utf8"));
  const app = join(rootfs, "app");
  const devOnly = Object.entries(lock.packages)
    .filter(([path, entry]) => path.includes("node_modules/") && entry.dev === true)
    .map(([path]) => path);
  assert.ok(devOnly.length > 0, "the lockfile marks dev-only packages");
  const present = devOnly.filter((path) => existsSync(join(app, path)));
  assert.deepEqual(present, [], "dev-only packages in the image");
  const server = JSON.parse(readFileSync(join(repo, "packages", "server", "package.json"), "utf8"));
  const missing = Object.keys(server.dependencies ?? {}).filter(
    (name) =>
      !existsSync(join(app, "node_modules", name)) &&
      !existsSync(join(app, "packages", "server", "node_modules", name)),
  );
  assert.deepEqual(missing, [], "production dependencies missing");
  t.diagnostic(`${devOnly.length} dev-only packages checked absent`);
});

test("no tests, sources, .git, build context junk or local storage in the image", (t) => {
  if (!state.extracted) return t.skip("no image");
  const app = join(rootfs, "app");
  const found = [];
  walk(
    app,
    (path, info) => {
      const rel = relative(app, path);
      if (/(^|\/)\.git$|(^|\/)\.env|(^|\/)\.kamal$|^storage\/.+/.test(rel)) found.push(rel);
      if (
        /\.test\.[cm]?[jt]sx?$/.test(rel) ||
        (info.isFile() && /\.tsx?$/.test(rel) && !rel.endsWith(".d.ts"))
      )
        found.push(rel);
      if (
        info.isDirectory() &&
        /^(packages\/[^/]+\/(src|test)|e2e|bench|docs|scripts|\.github|config|left-behind)$/.test(rel)
      ) {
        found.push(rel);
      }
      if (rel === "packages/server/dist/stale.js" || rel === "node_modules/left-behind") found.push(rel);
    },
    (path) => path.endsWith("/node_modules"),
  );
  assert.deepEqual(found, []);
  const top = readdirSync(app).sort();
  t.diagnostic(`/app: ${top.join(" ")}`);
});

test("no secret value given at run time (nor any build-context canary) is in the image", (t) => {
  if (!state.extracted) return t.skip("no image");
  const needles = secretValues();
  const inspect = run("podman", ["image", "inspect", IMAGE]).stdout;
  const history = run("podman", ["history", "--no-trunc", "--format", "json", IMAGE]).stdout;
  for (const needle of needles) {
    assert.ok(!inspect.includes(needle), "a secret in the image's config");
    assert.ok(!history.includes(needle), "a secret in the image's history");
  }
  // Every file of the image (as copied out, and as left after the runs: the storage folder was a
  // bind mount, so what the server wrote went outside).
  assert.deepEqual(mountsUnder(rootfs), [], "no mount is left inside the copied filesystem");
  const grep = run("grep", ["-rlF", ...needles.flatMap((n) => ["-e", n]), rootfs], { allowFailure: true });
  assert.equal(grep.status, 1, `secret values found in: ${grep.stdout}`);
  // The storage folder on the other hand is where the server may keep what it generates.
  t.diagnostic(`${needles.length} values searched in ${rootfs}`);
});

test("image size", (t) => {
  if (!state.built) return t.skip("no image");
  const size = Number(run("podman", ["image", "inspect", "--format", "{{.Size}}", IMAGE]).stdout.trim());
  const baseName = readFileSync(join(repo, "Dockerfile"), "utf8").match(/^ARG NODE_IMAGE=(.+)$/m)?.[1];
  const base = baseName
    ? Number(run("podman", ["image", "inspect", "--format", "{{.Size}}", baseName]).stdout.trim())
    : 0;
  const message = `image size ${mb(size)} (base ${baseName} stand-in ${mb(base)}, Parley's layers ${mb(size - base)})`;
  t.diagnostic(message);
  assert.ok(
    size - base < 250e6,
    `Parley's layers weigh ${mb(size - base)}: dev dependencies or build leftovers?`,
  );
});
