/**
 * One client trying to grow the server's memory through the cable: thousands of subscribes with
 * huge distinct identifiers on one connection, thousands of subscribes on one connection,
 * thousands of sockets from one address, and a flood of frames faster than they are handled.
 * The server runs in its own process so its memory (VmRSS) can be read; each attack must be
 * refused as documented (docs/protocol.md §1) and leave memory bounded.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { residentBytes, startNode, type NodeProcess } from "../support/processes.js";
import { login, OWNER, visitorToken } from "../support/testServer.js";

const MB = 1024 * 1024;
/** Growth allowed for an attack that is refused: tens of MB, where the holes cost hundreds. */
const MAX_GROWTH_BYTES = 40 * MB;
/** The documented defaults (docs/protocol.md §1). */
const MAX_SUBSCRIPTIONS = 10;
const MAX_CONNECTIONS_PER_ADDRESS = 100;
/** 2,000 frames of 60 KB: 120 MB in flight. */
const FLOOD_FRAMES = 2000;
/**
 * For that flood: parsing 120 MB of frames and answering each leaves garbage the collector takes
 * its time with (about 30 MB on Node 20, about 115 MB on Node 24, whose young generation is
 * larger); holding the frames instead costs 250 MB on Node 20 and 330 MB on Node 24.
 */
const MAX_FLOOD_GROWTH_BYTES = 200 * MB;

type Attempt = { status: 101; socket: WebSocket } | { status: number; socket?: undefined };

/** One WebSocket handshake: open (101) and kept, or refused with its HTTP status. */
function attempt(serverUrl: string): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${serverUrl.replace(/^http/, "ws")}/cable`, ["actioncable-v1-json"], {
      headers: { origin: serverUrl },
    });
    socket.on("unexpected-response", (request, response) => {
      resolve({ status: response.statusCode ?? 0 });
      request.destroy();
    });
    socket.on("open", () => resolve({ status: 101, socket }));
    socket.on("error", (error) => {
      if (!/Unexpected server response|closed before the connection/.test(String(error))) reject(error);
    });
  });
}

/**
 * Sends each frame once the previous one is written, and stops when the server closes. Between
 * frames the event loop turns, so a close from the server is read before the next one goes out.
 */
async function sendAll(socket: WebSocket, count: number, frame: (i: number) => string): Promise<number> {
  let sent = 0;
  for (let i = 0; i < count && socket.readyState === WebSocket.OPEN; i++) {
    await new Promise<void>((resolve) => socket.send(frame(i), () => resolve()));
    await new Promise((resolve) => setImmediate(resolve));
    sent++;
  }
  return sent;
}

/**
 * A bare cable socket that keeps only counts of what it hears (holding thousands of frames that
 * echo 60 KB identifiers would weigh on the test, not the server) and the disconnect frame.
 */
async function countingCable(serverUrl: string, cookie?: string) {
  const headers: Record<string, string> = { origin: serverUrl, ...(cookie === undefined ? {} : { cookie }) };
  const socket = new WebSocket(`${serverUrl.replace(/^http/, "ws")}/cable`, ["actioncable-v1-json"], {
    headers,
  });
  const heard = {
    confirm_subscription: 0,
    reject_subscription: 0,
    messages: 0,
    conversations: 0,
    disconnect: undefined as Record<string, unknown> | undefined,
  };
  const listeners = new Set<() => void>();
  socket.on("message", (data: Buffer) => {
    const frame = JSON.parse(data.toString("utf8")) as Record<string, unknown>;
    if (frame.type === "confirm_subscription" || frame.type === "reject_subscription") heard[frame.type]++;
    if (frame.type === "disconnect") heard.disconnect = frame;
    // Channel data only: a ping carries `message` too (the time).
    if (frame.identifier !== undefined && frame.message !== undefined) heard.messages++;
    if ((frame.message as { type?: string } | undefined)?.type === "conversations") heard.conversations++;
    for (const listener of listeners) listener();
  });
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  /** Resolves once `done()` holds, checked on every frame. */
  const until = (done: () => boolean, timeoutMs: number, what: () => string) =>
    withTimeout(
      new Promise<void>((resolve) => {
        const check = () => {
          if (!done()) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
      }),
      timeoutMs,
      what,
    );
  return { socket, heard, closed, until };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${what()}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe("one client flooding the cable", () => {
  let dir: string;
  let node: NodeProcess;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "parley-floods-"));
    node = await startNode({ STORAGE_DIR: dir });
  });

  after(async () => {
    node?.kill("SIGKILL");
    await node?.exited;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  // First, while no other socket of this test is open on the server.
  it(`accepts ${MAX_CONNECTIONS_PER_ADDRESS} sockets from one address and refuses the rest of 5,000 with 429`, async (t) => {
    const before = residentBytes(node.pid);
    const open: WebSocket[] = [];
    const statuses = new Map<number, number>();
    // In waves, so the listen backlog is never the thing that refuses.
    for (let wave = 0; wave < 20; wave++) {
      for (const result of await Promise.all(Array.from({ length: 250 }, () => attempt(node.url)))) {
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        if (result.socket !== undefined) open.push(result.socket);
      }
    }
    const growth = residentBytes(node.pid) - before;
    t.diagnostic(`the server grew by ${Math.round(growth / MB)} MB`);
    assert.deepEqual(Object.fromEntries(statuses), {
      101: MAX_CONNECTIONS_PER_ADDRESS,
      429: 5000 - MAX_CONNECTIONS_PER_ADDRESS,
    });
    assert.ok(growth < MAX_GROWTH_BYTES, `the server grew by ${Math.round(growth / MB)} MB`);

    // A socket that closes gives its place back.
    await Promise.all(
      open.map((socket) => {
        const closed = new Promise((resolve) => socket.once("close", resolve));
        socket.close();
        return closed;
      }),
    );
    for (;;) {
      const again = await attempt(node.url);
      if (again.socket !== undefined) {
        again.socket.close();
        break;
      }
      assert.equal(again.status, 429);
    }
  });

  it("refuses 3,000 subscribes with distinct 60 KB identifiers on one connection", async (t) => {
    const cable = await countingCable(node.url);
    const token = visitorToken();
    const padding = "x".repeat(60_000);
    const before = residentBytes(node.pid);
    const sent = await sendAll(cable.socket, 3000, (i) =>
      JSON.stringify({
        command: "subscribe",
        identifier: JSON.stringify({ channel: "VisitorChannel", token, pad: `${i}-${padding}` }),
      }),
    );
    const answered = () => cable.heard.confirm_subscription + cable.heard.reject_subscription;
    // Refused: a disconnect. Let through: an answer to every subscribe, and the memory they hold.
    await cable.until(
      () => cable.heard.disconnect !== undefined || answered() === sent,
      60_000,
      () => `${answered()} answers`,
    );
    const growth = residentBytes(node.pid) - before;
    t.diagnostic(`the server grew by ${Math.round(growth / MB)} MB; ${sent} subscribes sent`);
    assert.deepEqual(cable.heard.disconnect, {
      type: "disconnect",
      reason: "invalid_request",
      reconnect: false,
    });
    await cable.closed;
    assert.equal(cable.heard.confirm_subscription, 0);
    assert.ok(sent < 3000, "the server closed the connection before the flood was through");
    assert.ok(growth < MAX_GROWTH_BYTES, `the server grew by ${Math.round(growth / MB)} MB`);
  });

  it(`confirms ${MAX_SUBSCRIPTIONS} subscriptions on one connection and rejects the rest of 3,000`, async (t) => {
    const cable = await countingCable(node.url);
    const token = visitorToken();
    // Just under the identifier limit, each one distinct.
    const padding = "x".repeat(900);
    const before = residentBytes(node.pid);
    const sent = await sendAll(cable.socket, 3000, (i) =>
      JSON.stringify({
        command: "subscribe",
        identifier: JSON.stringify({ channel: "VisitorChannel", token, pad: `${i}-${padding}` }),
      }),
    );
    assert.equal(sent, 3000);
    const { heard } = cable;
    await cable.until(
      () => heard.confirm_subscription + heard.reject_subscription === 3000,
      60_000,
      () => `${heard.confirm_subscription} confirmed, ${heard.reject_subscription} rejected`,
    );
    const growth = residentBytes(node.pid) - before;
    t.diagnostic(`the server grew by ${Math.round(growth / MB)} MB`);
    assert.deepEqual(
      { confirmed: heard.confirm_subscription, rejected: heard.reject_subscription },
      { confirmed: MAX_SUBSCRIPTIONS, rejected: 3000 - MAX_SUBSCRIPTIONS },
    );
    assert.ok(growth < MAX_GROWTH_BYTES, `the server grew by ${Math.round(growth / MB)} MB`);
    // The connection itself stays usable.
    const first = JSON.stringify({ channel: "VisitorChannel", token, pad: `0-${padding}` });
    let echoed = false;
    cable.socket.prependListener(
      "message",
      (data: Buffer) => (echoed ||= data.toString("utf8").includes('"content":"still here"')),
    );
    cable.socket.send(
      JSON.stringify({
        command: "message",
        identifier: first,
        data: JSON.stringify({ action: "send_message", content: "still here" }),
      }),
    );
    await cable.until(
      () => echoed,
      5000,
      () => "no echo of the message",
    );
    cable.socket.close();
  });

  it("lets the stock client see the subscription over the cap as rejected, and keep the others", async () => {
    const token = visitorToken();
    const consumer = createConsumer(node.url, { token });
    try {
      const subscriptions = Array.from(
        { length: MAX_SUBSCRIPTIONS + 1 },
        (_, i) => new RecordingSubscription(consumer, { channel: "VisitorChannel", tab: i }),
      );
      await Promise.all(subscriptions.map((s) => s.until(() => s.confirmed || s.rejected)));
      assert.deepEqual(
        subscriptions.map((s) => s.confirmed),
        [...Array.from({ length: MAX_SUBSCRIPTIONS }, () => true), false],
      );
      assert.equal(subscriptions.at(-1)!.rejected, true);
      subscriptions[0]!.perform("send_message", { content: "from the first tab" });
      await subscriptions[MAX_SUBSCRIPTIONS - 1]!.next((m) => m.type === "message");
    } finally {
      consumer.disconnect();
    }
  });
});

describe(
  "one agent flooding the cable with slow actions",
  { skip: process.env.TEST_DATABASE_URL ? false : POSTGRES_SKIP },
  () => {
    // On Postgres a query leaves the event loop free, so frames keep coming in while one is handled.
    let database: PostgresSchema | undefined;
    let dir: string | undefined;
    let node: NodeProcess | undefined;

    before(async () => {
      database = await postgresSchema();
      dir = mkdtempSync(join(tmpdir(), "parley-floods-"));
      // Conversations are seeded from this one address.
      node = await startNode({
        STORAGE_DIR: dir,
        DATABASE_URL: database!.url,
        ADMIN_USER: OWNER.username,
        ADMIN_PASSWORD: OWNER.password,
        NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
      });
    });

    after(async () => {
      node?.kill("SIGKILL");
      await node?.exited;
      await database?.drop();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    });

    it("keeps a flood of slow actions waiting in TCP, not in the server's memory", async (t) => {
      const { url, pid } = node!;
      // Slow actions: each `list_conversations` reads a page of conversations, over the network.
      for (let i = 0; i < 20; i++) {
        const visitor = await countingCable(url);
        const identifier = JSON.stringify({ channel: "VisitorChannel", token: visitorToken() });
        visitor.socket.send(JSON.stringify({ command: "subscribe", identifier }));
        visitor.socket.send(
          JSON.stringify({
            command: "message",
            identifier,
            data: JSON.stringify({ action: "send_message", content: `question ${i}` }),
          }),
        );
        await visitor.until(
          () => visitor.heard.messages >= 2,
          5000,
          () => "no echo",
        );
        visitor.socket.close();
        await visitor.closed;
      }
      const agent = await countingCable(url, await login(url));
      const identifier = JSON.stringify({ channel: "AdminChannel" });
      agent.socket.send(JSON.stringify({ command: "subscribe", identifier }));
      await agent.until(
        () => agent.heard.conversations === 1,
        5000,
        () => "no conversations on subscribe",
      );
      const padding = "x".repeat(60_000);
      const before = residentBytes(pid);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 50);
      try {
        // All at once, faster than they can be handled; each frame carries 60 KB the action
        // ignores: what the server would hold while it works through them.
        const frame = JSON.stringify({
          command: "message",
          identifier,
          data: JSON.stringify({ action: "list_conversations", pad: padding }),
        });
        for (let i = 0; i < FLOOD_FRAMES; i++) agent.socket.send(frame);
        // Nothing is dropped: every action is answered, in the end.
        await agent.until(
          () => agent.heard.conversations === FLOOD_FRAMES + 1 || agent.heard.disconnect !== undefined,
          120_000,
          () => `${agent.heard.conversations - 1} answers of ${FLOOD_FRAMES}`,
        );
      } finally {
        clearInterval(sampler);
      }
      const growth = peak - before;
      t.diagnostic(`the server grew by ${Math.round(growth / MB)} MB at most`);
      assert.equal(agent.heard.disconnect, undefined);
      assert.equal(agent.heard.conversations, FLOOD_FRAMES + 1);
      assert.ok(growth < MAX_FLOOD_GROWTH_BYTES, `the server grew by ${Math.round(growth / MB)} MB`);
      agent.socket.close();
    });
  },
);
