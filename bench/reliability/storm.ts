/**
 * Restart storm (docs/reliability.md "Restart storm"): 15,000 visitors connected, Parley stopped
 * (SIGTERM, so each gets `server_restart`) and started again on the same store and port. The
 * visitors come back by the widget's rule (loadgen/reconnectingVisitor.ts: full-jitter backoff,
 * resubscribe with `since`). While they come back an agent answers 2,000 of them over REST; each
 * answer must reach its visitor exactly once, by the `since` replay or live.
 *
 * Holds when the server stayed up, every visitor came back, no answer is missing or doubled, and
 * attempts that failed once the server was listening again stay under one per 100 visitors.
 */
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { connectAgents, login } from "../loadgen/agents.js";
import { ReconnectingVisitor } from "../loadgen/reconnectingVisitor.js";
import { sourceAddresses } from "../loadgen/sourceAddresses.js";
import { sleep } from "../processes.js";
import { AGENT_PASSWORD, AGENT_USERNAME } from "../servers.js";
import { round } from "../stats.js";
import { loadAverage } from "./machineLoad.js";
import { ParleyUnderTest } from "./parleyUnderTest.js";
import { stormFigures } from "./restartStorm.js";
import type { StandaloneScenario } from "./standalone.js";

const CONNECT_CONCURRENCY = 50;
const REPLY_CONCURRENCY = 16;
const SETTLE_TIMEOUT_MS = 120_000;

export const run: StandaloneScenario = async (options, log) => {
  const visitorCount = options.quick ? 1000 : 15_000;
  const talkerCount = options.quick ? 200 : 2000;
  const parley = await ParleyUnderTest.create("sqlite", undefined, "storm");
  const notes: string[] = [];
  try {
    await parley.start();
    log(`storm: connecting ${visitorCount} visitors`);
    const address = sourceAddresses(visitorCount, parley.host);
    const visitors = Array.from({ length: visitorCount }, (_, index) => {
      const localAddress = address(index);
      return new ReconnectingVisitor({
        url: () => parley.cable,
        token: `storm_${randomBytes(12).toString("base64url")}`,
        ...(localAddress === undefined ? {} : { localAddress }),
      });
    });
    let next = 0;
    let connectFailures = 0;
    await Promise.all(
      Array.from({ length: CONNECT_CONCURRENCY }, async () => {
        while (next < visitors.length) await visitors[next++]!.start().catch(() => connectFailures++);
      }),
    );
    if (connectFailures > 0)
      throw new Error(`${connectFailures} visitors could not connect before the storm`);

    // Talkers open a conversation each; the agent's feed says which conversation is whose.
    const [agent] = await connectAgents([{ base: parley.base, cable: parley.cable }], 1, {
      username: AGENT_USERNAME,
      password: AGENT_PASSWORD,
    });
    const talkers = visitors.slice(0, talkerCount);
    const conversationOf = new Map<string, number>();
    agent!.onMessage = (message) => {
      const clientId = (message.message as { client_id?: string } | undefined)?.client_id;
      if (message.type === "new_message" && clientId !== undefined)
        conversationOf.set(clientId, message.conversation_id as number);
    };
    talkers.forEach((talker, index) =>
      talker.send({ action: "send_message", content: "hello", client_id: `t${index}` }),
    );
    const deadline = performance.now() + 60_000;
    while (conversationOf.size < talkerCount && performance.now() < deadline) await sleep(50);
    if (conversationOf.size < talkerCount)
      throw new Error(`only ${conversationOf.size} conversations opened`);
    agent!.close();
    const cookie = await login(parley.base, AGENT_USERNAME, AGENT_PASSWORD);

    log("storm: restarting the server");
    const stopAt = performance.now();
    await parley.server!.stop();
    const stoppedAt = performance.now();
    const server = await parley.start(180_000);
    const upAt = performance.now();
    log(`storm: down for ${round(upAt - stopAt)} ms; answering ${talkerCount} visitors while they come back`);

    const expected = new Map<ReconnectingVisitor, number[]>();
    let replyFailures = 0;
    let replyNext = 0;
    const replying = Promise.all(
      Array.from({ length: REPLY_CONCURRENCY }, async () => {
        while (replyNext < talkerCount) {
          const index = replyNext++;
          const response = await fetch(
            `${parley.base}/conversations/${conversationOf.get(`t${index}`)}/messages`,
            {
              method: "POST",
              headers: { cookie, origin: parley.base, "content-type": "application/json" },
              body: JSON.stringify({ content: "Sorry for the wait!", client_id: `reply${index}` }),
            },
          );
          const body = (await response.json()) as { message?: { id: number } };
          if (response.status !== 201 || body.message === undefined) replyFailures++;
          else expected.set(talkers[index]!, [body.message.id]);
        }
      }),
    );
    const settled = (): boolean =>
      visitors.every((visitor) => visitor.connected) &&
      [...expected].every(([visitor, ids]) => ids.every((id) => visitor.received.has(id)));
    await replying;
    const settleDeadline = performance.now() + SETTLE_TIMEOUT_MS;
    while (!settled() && performance.now() < settleDeadline) await sleep(100);
    // Late duplicates would come right after: give them a moment to show.
    await sleep(2000);
    const figures = stormFigures(visitors, expected, upAt);
    const serverAlive = server.child.exitCode === null && server.child.signalCode === null;
    for (const visitor of visitors) visitor.stop();

    const held =
      serverAlive &&
      replyFailures === 0 &&
      figures.back === visitorCount &&
      figures.missing === 0 &&
      figures.duplicates === 0 &&
      figures.failedAfterUp < visitorCount / 100;
    if (!serverAlive) notes.push("the server exited during the storm");
    if (replyFailures > 0) notes.push(`${replyFailures} answers were refused`);
    return {
      name: "storm",
      ran:
        `${visitorCount} visitors on SQLite (${talkerCount} of them in a conversation), server stopped with ` +
        `SIGTERM and started again; clients back off with full jitter (the widget's rule) and resubscribe with since`,
      figures: {
        downMs: round(upAt - stopAt),
        stopMs: round(stoppedAt - stopAt),
        bootMs: round(upAt - stoppedAt),
        back: figures.back,
        reconnectP50Ms: figures.reconnect.p50,
        reconnectP95Ms: figures.reconnect.p95,
        reconnectMaxMs: figures.reconnect.max,
        peakConnectsPerSecond: figures.peakConnectsPerSecond,
        failedWhileDown: figures.failedWhileDown,
        failedAfterUp: figures.failedAfterUp,
        answersSentWhileAway: figures.expected,
        missing: figures.missing,
        duplicates: figures.duplicates,
        serverRssMb: round(server.rssBytes() / 1024 / 1024, 1),
        loadAverage: loadAverage(),
      },
      held,
      notes,
    };
  } finally {
    await parley.dispose();
  }
};
