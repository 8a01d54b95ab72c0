/**
 * A Kamal deploy without containers: while server A serves connected visitors through a proxy,
 * the new version's entrypoint runs the migrations on the same STORAGE_DIR and server B boots
 * there; once B's /up answers the proxy sends new connections to B and A gets SIGTERM. A tells its
 * visitors `server_restart`, they reconnect (to B) and catch up with `since`, re-sending what was
 * not confirmed. Every message sent during the swap must be stored and seen exactly once.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { freePort } from "../support/processes.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test, type TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import type { Message } from "@parley/protocol";
import { Agent, logIn } from "./agentClient.js";
import { SwapProxy } from "./swapProxy.js";
import { Visitor } from "./visitorClient.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const ORIGIN = "https://www.example.com";
const ADMIN_USER = "owner";
const ADMIN_PASSWORD = "a-long-password";
const VISITORS = 4;
const SEND_EVERY_MS = 60;

const storage = mkdtempSync(join(tmpdir(), "parley-zero-downtime-"));
const processes = new Set<ChildProcess>();
/** Undone in `after` too: a test cut short by its timeout never reaches its own `finally`, and a
 * visitor left reconnecting would keep the process alive. */
const cleanups = new Set<() => unknown>();

after(async () => {
  for (const cleanup of cleanups) await cleanup();
  for (const child of processes) child.kill("SIGKILL");
  rmSync(storage, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The environment Kamal gives both containers: same storage, same secrets, same settings. */
function serverEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    STORAGE_DIR: storage,
    LOG_LEVEL: "warn",
    ALLOWED_ORIGINS: ORIGIN,
    // The agents of this test work from the website too, as a team moving from the old server does.
    AGENT_ORIGINS: ORIGIN,
    ADMIN_USER,
    ADMIN_PASSWORD,
    SECRET_KEY_BASE: "zero-downtime-test-".padEnd(64, "x"),
    RATE_LIMIT_PER_MINUTE: "100000",
    NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  return env;
}

interface Node {
  child: ChildProcess;
  port: number;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startNode(port: number): Node {
  const child = spawn(
    process.execPath,
    ["--conditions=source", "--import", "tsx", "packages/server/src/main.ts"],
    {
      cwd: REPO,
      env: serverEnv(port),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  processes.add(child);
  const output: string[] = [];
  child.stdout?.on("data", (chunk) => output.push(String(chunk)));
  child.stderr?.on("data", (chunk) => output.push(String(chunk)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      processes.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, port, output, exited };
}

/** What kamal-proxy does before it sends traffic to a new container: GET /up until 200. */
async function waitUp(node: Node, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (node.child.exitCode !== null) throw new Error(`server exited early:\n${node.output.join("")}`);
    try {
      const response = await fetch(`http://127.0.0.1:${node.port}/up`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`/up did not answer 200 within ${timeoutMs} ms:\n${node.output.join("")}`);
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function stop(node: Node, timeoutMs = 12_000) {
  const started = Date.now();
  node.child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const result = await Promise.race([node.exited, deadline]);
  clearTimeout(timer);
  if (result === null) {
    node.child.kill("SIGKILL");
    throw new Error(`did not stop within ${timeoutMs} ms of SIGTERM:\n${node.output.join("")}`);
  }
  return { ...result, ms: Date.now() - started };
}

async function conversationsOf(port: number, cookie: string, tokens: string[]): Promise<Map<string, number>> {
  const response = await fetch(`http://127.0.0.1:${port}/conversations`, {
    headers: { cookie, origin: ORIGIN },
  });
  const { conversations } = (await response.json()) as {
    conversations: Array<{ id: number; session_token: string }>;
  };
  return new Map(
    tokens.map((token) => [token, conversations.find((c) => c.session_token === token)?.id ?? 0]),
  );
}

/** The stored conversation of each visitor, as an agent sees it over REST. */
async function storedMessages(port: number, tokens: string[]): Promise<Map<string, Message[]>> {
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/auth/login`, {
    signal: AbortSignal.timeout(10_000),
    method: "POST",
    headers: { "content-type": "application/json", origin: ORIGIN },
    body: JSON.stringify({ username: ADMIN_USER, password: ADMIN_PASSWORD }),
  });
  assert.equal(login.status, 200, await login.text());
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  const headers = { cookie, origin: ORIGIN };
  const { conversations } = (await (
    await fetch(`${base}/conversations`, { headers, signal: AbortSignal.timeout(10_000) })
  ).json()) as {
    conversations: Array<{ id: number; session_token: string }>;
  };
  const stored = new Map<string, Message[]>();
  for (const token of tokens) {
    const conversation = conversations.find((c) => c.session_token === token);
    assert.ok(conversation, `no stored conversation for visitor ${token.slice(0, 12)}`);
    const body = (await (
      await fetch(`${base}/conversations/${conversation.id}/messages?limit=200`, {
        headers,
        signal: AbortSignal.timeout(10_000),
      })
    ).json()) as {
      messages: Message[];
      has_more?: boolean;
    };
    assert.ok(!body.has_more, "the test keeps each conversation under one page");
    stored.set(token, body.messages);
  }
  return stored;
}

function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((value) => (seen.has(value) ? true : (seen.add(value), false)));
}

interface SwapOptions {
  /** When the agent on the new server starts replying: once the old server has exited (its
   * visitors catch up through `since` after reconnecting), or while both serve. */
  repliesFrom: "after-old-exits" | "while-both-serve";
}

/**
 * One deploy: A serves visitors through the proxy; the entrypoint's migrations run and B boots on
 * the same storage; an agent logs in on B; once B's /up answers the proxy switches and A gets
 * SIGTERM, with visitor messages in flight. Visitors keep sending throughout; the agent replies.
 */
async function swap(t: TestContext, options: SwapOptions): Promise<void> {
  const a = startNode(await freePort());
  await waitUp(a);
  const proxy = await SwapProxy.start(a.port);
  cleanups.add(() => proxy.close());
  const visitors = Array.from(
    { length: VISITORS },
    (_, i) =>
      new Visitor(
        `ws://127.0.0.1:${proxy.port}/cable`,
        ORIGIN,
        `swap-${i}-${randomBytes(12).toString("hex")}`,
      ),
  );
  let b: Node | undefined;
  let agent: Agent | undefined;
  cleanups.add(() => {
    agent?.close();
    for (const visitor of visitors) visitor.stop();
  });
  try {
    for (const visitor of visitors) visitor.start();
    await waitFor("every visitor subscribed", () => visitors.every((v) => v.subscribed), 10_000);
    visitors.forEach((visitor, i) => visitor.send(`visitor ${i}: before the deploy`));
    await waitFor("the first messages confirmed", () => visitors.every((v) => v.pending === 0), 10_000);

    // Visitor traffic that keeps flowing through the whole swap.
    let sending = true;
    const traffic = (async () => {
      for (let n = 0; sending; n++) {
        visitors.forEach((visitor, i) => visitor.send(`visitor ${i}: message ${n}`));
        await sleep(SEND_EVERY_MS);
      }
    })();
    await sleep(300);

    // The new container's entrypoint: migrations on the live storage, while A serves.
    const migrate = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "packages/server/src/cli.ts", "migrate"],
      { cwd: REPO, env: serverEnv(0), encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(migrate.status, 0, `migrate while the old server serves: ${migrate.stderr}`);

    b = startNode(await freePort());
    await waitUp(b);
    const newServer = `127.0.0.1:${b.port}`;
    const cookie = await logIn(`http://${newServer}`, ORIGIN, ADMIN_USER, ADMIN_PASSWORD);
    agent = await Agent.connect(`ws://${newServer}/cable`, ORIGIN, cookie);
    const conversationIds = await conversationsOf(
      b.port,
      cookie,
      visitors.map((v) => v.token),
    );
    const replies = new Map<string, string[]>(visitors.map((v) => [v.token, []]));
    let replying: Promise<void> = Promise.resolve();
    const startReplying = () => {
      replying = (async () => {
        for (let n = 0; sending; n++) {
          for (const [i, visitor] of visitors.entries()) {
            const content = `agent to visitor ${i}: reply ${n}`;
            replies.get(visitor.token)?.push(content);
            agent?.reply(conversationIds.get(visitor.token) ?? 0, content);
          }
          await sleep(SEND_EVERY_MS);
        }
      })();
    };
    if (options.repliesFrom === "while-both-serve") {
      startReplying();
      await sleep(300);
    }

    proxy.switchTo(b.port);
    // A burst right as the old server is told to stop: some of it is in flight.
    visitors.forEach((visitor, i) => {
      for (let k = 0; k < 3; k++) visitor.send(`visitor ${i}: burst ${k}`);
    });
    const stoppedA = await stop(a);
    t.diagnostic(`old server stopped ${stoppedA.ms} ms after SIGTERM (code ${stoppedA.code})`);
    assert.equal(stoppedA.code, 0, `old server's exit: ${JSON.stringify(stoppedA)}\n${a.output.join("")}`);
    if (options.repliesFrom === "after-old-exits") startReplying();

    await sleep(800); // keep both sides talking on the new server for a while
    sending = false;
    await traffic;
    await replying;
    await waitFor(
      "every message confirmed after the swap",
      () => visitors.every((v) => v.pending === 0),
      20_000,
    );
    await waitFor("every agent reply confirmed", () => agent?.pending === 0, 10_000);
    await waitFor(
      "every reply delivered to its visitor",
      () => visitors.every((v) => v.agentContents().length >= (replies.get(v.token)?.length ?? 0)),
      5_000,
    ).catch(() => undefined); // the assertions below name what is missing

    const stored = await storedMessages(
      b.port,
      visitors.map((v) => v.token),
    );
    let total = 0;
    for (const visitor of visitors) {
      const name = visitor.token.slice(0, 8);
      assert.ok(visitor.disconnectReasons.includes("server_restart"), `${name} was told server_restart`);
      assert.ok(visitor.connects >= 2, `${name} reconnected`);
      assert.deepEqual(visitor.errors, [], `${name} got errors`);
      const sent = visitor.sentContents;
      total += sent.length;
      // The visitor's own messages: stored once, and each held once by the visitor.
      const contents = (stored.get(visitor.token) ?? [])
        .filter((m) => m.sender === "visitor")
        .map((m) => m.content);
      assert.deepEqual(duplicates(contents), [], `${name}: a message was stored twice`);
      assert.deepEqual(new Set(contents), new Set(sent), `${name}: a message was lost`);
      assert.deepEqual(duplicates(visitor.ownContents()), [], `${name} holds a message twice`);
      assert.deepEqual(new Set(visitor.ownContents()), new Set(sent), `${name} misses one of its messages`);
      // The agent's replies: stored once, and each delivered to the visitor (live or caught up).
      const sentReplies = replies.get(visitor.token) ?? [];
      total += sentReplies.length;
      const storedReplies = (stored.get(visitor.token) ?? [])
        .filter((m) => m.sender === "admin")
        .map((m) => m.content);
      assert.deepEqual(duplicates(storedReplies), [], `${name}: a reply was stored twice`);
      assert.deepEqual(new Set(storedReplies), new Set(sentReplies), `${name}: a reply was lost`);
      const missed = sentReplies.filter((content) => !visitor.agentContents().includes(content));
      assert.deepEqual(missed, [], `${name} never received these replies`);
    }
    const sum = (count: (v: Visitor) => number) => visitors.reduce((all, v) => all + count(v), 0);
    t.diagnostic(
      `${total} messages; across the swap ${sum((v) => v.resends)} re-sent with their client_id, ` +
        `${sum((v) => v.caughtUp)} caught up by history, ${sum((v) => v.duplicateDeliveries)} repeated deliveries dropped`,
    );
  } finally {
    agent?.close();
    for (const visitor of visitors) visitor.stop();
    await proxy.close();
    if (a.child.exitCode === null && a.child.signalCode === null) await stop(a).catch(() => undefined);
    if (b) {
      const stoppedB = await stop(b);
      assert.equal(stoppedB.code, 0, `new server's exit: ${JSON.stringify(stoppedB)}`);
    }
  }
}

test("a Kamal-style swap on the same STORAGE_DIR loses and doubles no message", { timeout: 120_000 }, (t) =>
  swap(t, { repliesFrom: "after-old-exits" }),
);

// While both servers serve, each has its own in-process broker: a reply committed on the new
// server reaches a visitor still on the old one only because each server reads the tail of the
// shared messages table (delivery/sharedStoreTail.ts), and the old one reads it a last time before it
// sends its clients away, so no client ever holds a newer id than one it missed.
test(
  "a reply sent on the new server while the old one still serves reaches the visitor",
  { timeout: 120_000 },
  (t) => swap(t, { repliesFrom: "while-both-serve" }),
);
