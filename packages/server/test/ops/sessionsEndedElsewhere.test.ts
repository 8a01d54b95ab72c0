/**
 * An agent's session ended by another process (`parley agent passwd` / `agent remove` on the
 * same SQLite file, no Redis) or by the clock closes the agent's open socket within 2 s, and
 * nothing that socket asks for after the end is done.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import Database from "better-sqlite3";
import { sqlitePath } from "../../src/store/index.js";
import { cableFrames, createConsumer, RecordingSubscription } from "../support/cable.js";
import { runCli, startNode, type NodeProcess } from "../support/processes.js";
import { login, OWNER, visitorToken } from "../support/testServer.js";

/** The protocol's promise for a session ended anywhere (docs/protocol.md §1). */
const CLOSE_WITHIN_MS = 2000;

async function within<T>(timeoutMs: number, check: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("sessions ended outside the server process", () => {
  let dir: string;
  let node: NodeProcess;
  let ownerCookie: string;
  let owner: RecordingSubscription;
  let visitor: RecordingSubscription;
  let conversationId: number;
  const consumers: Consumer[] = [];

  const cli = async (...args: string[]) => {
    const result = await runCli(args, { STORAGE_DIR: dir, LOG_LEVEL: "warn" });
    assert.equal(result.code, 0, result.output);
    return result.output;
  };
  const agentOnCable = async (credentials: { username: string; password: string }) => {
    const consumer = createConsumer(node.url, { cookie: await login(node.url, credentials) });
    consumers.push(consumer);
    const subscription = new RecordingSubscription(consumer, { channel: "AdminChannel" });
    await subscription.until(() => subscription.confirmed);
    return { consumer, subscription };
  };
  const storedContents = async () => {
    const response = await fetch(`${node.url}/conversations/${conversationId}/messages`, {
      headers: { cookie: ownerCookie },
    });
    const { messages } = (await response.json()) as { messages: { content: string }[] };
    return messages.map((message) => message.content);
  };

  /**
   * After `end` (another process, or the clock): the socket gets `disconnect unauthorized` in
   * time, a send performed after the end is not stored, and no later message reaches it.
   */
  const assertEndedSession = async (
    agent: { consumer: Consumer; subscription: RecordingSubscription },
    end: () => Promise<void>,
  ) => {
    await end();
    const content = `sent after the end, ${visitorToken()}`;
    // Reaches the server before or after the close: either way it must not be performed.
    agent.subscription.perform("send_message", { conversation_id: conversationId, content });
    const frames = cableFrames(agent.consumer);
    const disconnect = await within(
      CLOSE_WITHIN_MS,
      () => frames.find((f) => f.type === "disconnect"),
      "disconnect",
    );
    assert.deepEqual(disconnect, { type: "disconnect", reason: "unauthorized", reconnect: false });

    const heardBefore = agent.subscription.received.length;
    const marker = `visitor after the end, ${visitorToken()}`;
    visitor.perform("send_message", { content: marker });
    await owner.next(
      (m) => m.type === "new_message" && (m.message as { content: string }).content === marker,
    );
    assert.equal(
      agent.subscription.received.length,
      heardBefore,
      "nothing reaches an ended session's socket",
    );
    const stored = await storedContents();
    assert.ok(stored.includes(marker));
    assert.ok(!stored.includes(content), "the ended session's send was not stored");
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "parley-sessions-"));
    node = await startNode({ STORAGE_DIR: dir, ADMIN_USER: OWNER.username, ADMIN_PASSWORD: OWNER.password });
    ownerCookie = await login(node.url);
    const ownerConsumer = createConsumer(node.url, { cookie: ownerCookie });
    const visitorConsumer = createConsumer(node.url, { token: visitorToken() });
    consumers.push(ownerConsumer, visitorConsumer);
    owner = new RecordingSubscription(ownerConsumer, { channel: "AdminChannel" });
    visitor = new RecordingSubscription(visitorConsumer, { channel: "VisitorChannel" });
    await Promise.all([owner, visitor].map((s) => s.until(() => s.confirmed)));
    visitor.perform("send_message", { content: "hello", visitor_name: "Ada" });
    const first = await owner.next((m) => m.type === "new_message");
    conversationId = first.conversation_id as number;
    await cli("agent", "add", "bob", "--password", "bob-password-1");
  });

  after(async () => {
    for (const consumer of consumers) consumer.disconnect();
    node?.kill("SIGKILL");
    await node?.exited;
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("closes the agent's socket when `parley agent passwd` runs in another process", async () => {
    const bob = await agentOnCable({ username: "bob", password: "bob-password-1" });
    // The socket works until then.
    bob.subscription.perform("send_message", { conversation_id: conversationId, content: "bob was here" });
    await owner.next(
      (m) => m.type === "new_message" && (m.message as { content: string }).content === "bob was here",
    );
    await assertEndedSession(bob, async () => {
      await cli("agent", "passwd", "bob", "--password", "bob-password-2");
    });
  });

  it("closes the agent's socket when `parley agent remove` runs in another process", async () => {
    const bob = await agentOnCable({ username: "bob", password: "bob-password-2" });
    await assertEndedSession(bob, async () => {
      await cli("agent", "remove", "bob");
    });
  });

  it("closes the agent's socket when the session expires", async () => {
    const added = await cli("agent", "add", "dora", "--password", "dora-password-1");
    const doraId = Number(/\(id (\d+)\)/.exec(added)?.[1]);
    const dora = await agentOnCable({ username: "dora", password: "dora-password-1" });
    await assertEndedSession(dora, async () => {
      // The clock passing the session's expiry, without waiting 30 days.
      const db = new Database(sqlitePath(dir));
      try {
        const changed = db
          .prepare("UPDATE sessions SET expires_at = ? WHERE agent_id = ?")
          .run(new Date(Date.now() - 1000).toISOString(), doraId);
        assert.equal(changed.changes, 1);
      } finally {
        db.close();
      }
    });
  });
});
