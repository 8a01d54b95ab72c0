/**
 * Slow and hostile clients (docs/reliability.md "Slow and hostile clients"), against one Parley
 * with 200 ordinary visitors whose round trips are timed throughout:
 * - 50 sockets that stop reading while asking again and again for a 600 KB history: each must
 *   be cut off at the send buffer's bound, and the server's memory come back down;
 * - 2,000 sockets that never subscribe and 200 subscribed that answer no ping: all time out;
 * - 20 uploads declared at 500 MB: 413 before a byte of the body;
 * - 200 uploads sent a byte a second: each 408 at the request timeout, while the ordinary
 *   visitors' round trips stay as fast as before.
 */
import { connect, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { connectVisitors } from "../loadgen/visitors.js";
import type { Visitor } from "../loadgen/visitors.js";
import { freePort, sleep } from "../processes.js";
import { round, summarize } from "../stats.js";
import { memoryAfterCollection } from "./collectedMemory.js";
import { loadAverage } from "./machineLoad.js";
import { ParleyUnderTest } from "./parleyUnderTest.js";
import type { StandaloneScenario } from "./standalone.js";

const PROTOCOLS = ["actioncable-v1-json", "actioncable-unsupported"];
const MB = 1024 * 1024;
const IDLE_TIMEOUT_S = 10;
const REQUEST_TIMEOUT_S = 10;

export const run: StandaloneScenario = async (options, log) => {
  const scale = options.quick ? 0.25 : 1;
  const readers = Math.round(50 * scale);
  const idleCount = Math.round(2000 * scale);
  const silentCount = Math.round(200 * scale);
  const slowUploads = Math.round(200 * scale);
  const inspectPort = await freePort();
  const parley = await ParleyUnderTest.create("sqlite", undefined, "slowclients", {
    CABLE_IDLE_TIMEOUT_SECONDS: String(IDLE_TIMEOUT_S),
    REQUEST_TIMEOUT_SECONDS: String(REQUEST_TIMEOUT_S),
    // The bench's uploads all come from one address, where real visitors each have their own:
    // past 60 an hour they would get 429 before the timeout could be seen.
    UPLOADS_PER_IP_PER_HOUR: "0",
    // Read over the inspector, after a full collection, beside the RSS sampled as it is.
    NODE_OPTIONS: `--inspect=127.0.0.1:${inspectPort}`,
    // As the production image sets it (Dockerfile): large blocks given back when freed.
    MALLOC_MMAP_THRESHOLD_: "131072",
  });
  const notes: string[] = [];
  const figures: Record<string, number | string | boolean> = {};
  try {
    const server = await parley.start();
    const cutOffs = async (reason: string) =>
      metric(parley, `parley_cable_cut_off_total{reason="${reason}"}`);
    const ordinary = await connectVisitors([parley.cable], parley.host, 200, 20);
    const roundTrips = new RoundTrips(ordinary.visitors);
    const before = await roundTrips.measure(5_000);
    figures.roundTripBeforeP50Ms = before.p50;
    figures.roundTripBeforeP99Ms = before.p99;

    // 1. Readers that stop reading.
    const token = `hostile_${"x".repeat(20)}`;
    const writer = await openSocket(parley);
    const identifier = JSON.stringify({ channel: "VisitorChannel", token });
    writer.send(JSON.stringify({ command: "subscribe", identifier }));
    await sleep(500);
    for (let i = 0; i < 300; i++)
      writer.send(
        JSON.stringify({
          command: "message",
          identifier,
          data: JSON.stringify({ action: "send_message", content: "x".repeat(2000), client_id: `h${i}` }),
        }),
      );
    await sleep(3000);
    writer.terminate();
    const rssBefore = server.rssBytes();
    let rssPeak = rssBefore;
    const heapBefore = await parley.heapUsedBytes();
    let heapPeak = heapBefore;
    const sockets = await Promise.all(Array.from({ length: readers }, () => openSocket(parley)));
    let asked = 0;
    const asking = setInterval(() => {
      try {
        rssPeak = Math.max(rssPeak, server.rssBytes());
      } catch {
        return; // The server is gone (a zombie has no VmRSS): reported once the loop below ends.
      }
      for (const socket of sockets) {
        if (socket.readyState !== WebSocket.OPEN) continue;
        (socket as unknown as { _socket: Socket })._socket.pause();
        const again = JSON.stringify({ channel: "VisitorChannel", token, limit: 1000 - (asked++ % 500) });
        socket.send(JSON.stringify({ command: "subscribe", identifier: again }));
        socket.send(JSON.stringify({ command: "unsubscribe", identifier: again }));
      }
    }, 50);
    const readersStarted = performance.now();
    const deadline = performance.now() + 120_000;
    const exited = () => server.child.exitCode !== null || server.child.signalCode !== null;
    while (performance.now() < deadline) {
      await sleep(250);
      if (exited()) break;
      try {
        // Sampled first: the readers may all be cut off before the loop's first turn ends.
        heapPeak = Math.max(heapPeak, await parley.heapUsedBytes());
        if ((await cutOffs("slow_consumer")) + (await cutOffs("subscribe_flood")) >= readers) break;
      } catch {
        await sleep(1000); // Exited, or too busy to answer: the loop's next turn tells.
      }
    }
    clearInterval(asking);
    if (exited())
      throw new Error(
        `the server exited (${server.child.exitCode ?? server.child.signalCode}) under the readers:\n${server.recentOutput}`,
      );
    figures.slowReadersCutOff = (await cutOffs("slow_consumer")) + (await cutOffs("subscribe_flood"));
    figures.slowReadersCutOffAsFlood = await cutOffs("subscribe_flood");
    figures.slowReadersCutOffWithinS = round((performance.now() - readersStarted) / 1000, 1);
    for (const socket of sockets) socket.terminate();
    await sleep(5000);
    figures.rssBeforeReadersMb = round(rssBefore / MB, 1);
    figures.rssPeakWithReadersMb = round(rssPeak / MB, 1);
    figures.rssAfterReadersMb = round(server.rssBytes() / MB, 1);
    figures.heapBeforeReadersMb = round(heapBefore / MB, 1);
    figures.heapPeakWithReadersMb = round(heapPeak / MB, 1);
    figures.heapAfterReadersMb = round((await parley.heapUsedBytes()) / MB, 1);
    // The same moment after a full collection: what the process keeps, not garbage that V8,
    // with nothing more allocated, has not collected yet.
    const collected = await memoryAfterCollection(inspectPort);
    figures.rssAfterReadersCollectedMb = round(collected.rss / MB, 1);
    figures.heapTotalAfterReadersCollectedMb = round(collected.heapTotal / MB, 1);
    figures.externalAfterReadersCollectedMb = round(collected.external / MB, 1);
    log(`slowclients: readers cut off ${figures.slowReadersCutOff}/${readers}`);

    // 2. Idle sockets: open, never subscribe; and subscribed ones that answer no ping.
    const filesBefore = server.openFiles();
    const idleOpened = performance.now();
    // Listened to from each socket's opening: on a busy machine opening them all takes longer
    // than the idle timeout, and the first are closed before the last are open.
    const closedAt: number[] = [];
    const closed = () => closedAt.push(performance.now() - idleOpened);
    const idle = await openMany(parley, idleCount, true, closed);
    const silent = await openMany(parley, silentCount, false, closed);
    for (const socket of silent)
      socket.send(
        JSON.stringify({
          command: "subscribe",
          identifier: JSON.stringify({
            channel: "VisitorChannel",
            token: `silent_${Math.random().toString(36).slice(2, 22)}`,
          }),
        }),
      );
    figures.openFilesWithIdleSockets = server.openFiles();
    const idleDeadline = performance.now() + IDLE_TIMEOUT_S * 1000 * 3 + 10_000;
    while (closedAt.length < idle.length + silent.length && performance.now() < idleDeadline)
      await sleep(250);
    figures.idleSocketsClosed = `${closedAt.length}/${idle.length + silent.length}`;
    const stillOpen = (sockets: WebSocket[]) =>
      sockets.filter((socket) => socket.readyState !== WebSocket.CLOSED).length;
    if (closedAt.length < idle.length + silent.length)
      notes.push(
        `open at the deadline: ${stillOpen(idle)} never-subscribing, ${stillOpen(silent)} pong-less; ` +
          `the server had cut off ${await cutOffs("idle")} as idle`,
      );
    figures.idleClosedMaxS = round(Math.max(...closedAt) / 1000, 1);
    figures.openFilesBeforeIdle = filesBefore;
    figures.openFilesAfterIdle = server.openFiles();
    for (const socket of [...idle, ...silent]) socket.terminate();
    log(`slowclients: idle sockets closed ${figures.idleSocketsClosed}`);

    // 3. Uploads declared far too large.
    const refusals: number[] = [];
    const statuses = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const started = performance.now();
      const head = await firstResponseLine(parley, uploadHead(parley, 500_000_000));
      refusals.push(performance.now() - started);
      statuses.add(head.split(" ")[1] ?? "none");
    }
    figures.oversizedStatuses = [...statuses].join(",");
    figures.oversizedAnsweredMaxMs = round(Math.max(...refusals));

    // 4. Uploads a byte a second, while the ordinary visitors' round trips are timed.
    const slowStarted = performance.now();
    const slow = Array.from({ length: slowUploads }, () => dripUpload(parley));
    await sleep(2000);
    const during = await roundTrips.measure(Math.max(5_000, REQUEST_TIMEOUT_S * 1000 - 4000));
    const slowAnswers = await Promise.all(slow.map((upload) => upload.answer));
    figures.roundTripDuringSlowUploadsP50Ms = during.p50;
    figures.roundTripDuringSlowUploadsP99Ms = during.p99;
    const otherStatuses = [...new Set(slowAnswers.map((answer) => answer.status))].filter(
      (each) => each !== "408",
    );
    if (otherStatuses.length > 0) notes.push(`slow uploads also ended with: ${otherStatuses.join(", ")}`);
    figures.slowUploads408 = `${slowAnswers.filter((answer) => answer.status === "408").length}/${slowUploads}`;
    figures.slowUploadsEndedMaxS = round(Math.max(...slowAnswers.map((answer) => answer.atMs)) / 1000 - 0, 1);
    figures.slowUploadsWallS = round((performance.now() - slowStarted) / 1000, 1);
    figures.roundTripFailures = before.failures + during.failures;
    // Round trips are timed one at a time, 10 s each at most: one lost may hide many visitors
    // gone (the cause of the losses of earlier runs: all 200 cut off as idle, unpinged).
    figures.ordinaryVisitorsDropped = ordinary.visitors.filter(
      (visitor) => visitor.client.socket.readyState !== WebSocket.OPEN,
    ).length;
    figures.rssAtEndMb = round(server.rssBytes() / MB, 1);
    figures.heapAtEndMb = round((await parley.heapUsedBytes()) / MB, 1);
    for (const each of roundTrips.lost.slice(0, 5)) notes.push(`round trip lost: ${each}`);
    figures.idleCutOffs = await cutOffs("idle");
    figures.serverAlive = server.child.exitCode === null;
    figures.loadAverage = loadAverage();
    for (const visitor of ordinary.visitors) visitor.client.close();

    const held =
      figures.slowReadersCutOff === readers &&
      figures.rssAfterReadersMb - figures.rssBeforeReadersMb < 64 &&
      figures.idleSocketsClosed === `${idle.length + silent.length}/${idle.length + silent.length}` &&
      figures.openFilesAfterIdle <= filesBefore + 5 &&
      figures.oversizedStatuses === "413" &&
      figures.slowUploads408 === `${slowUploads}/${slowUploads}` &&
      figures.roundTripFailures === 0 &&
      figures.ordinaryVisitorsDropped === 0 &&
      figures.serverAlive === true;
    return {
      name: "slowclients",
      ran:
        `Parley on SQLite with 200 ordinary visitors timed throughout; ${readers} readers that stop reading, ` +
        `${idleCount} never-subscribing and ${silentCount} pong-less sockets (idle timeout ${IDLE_TIMEOUT_S} s), ` +
        `20 uploads declared at 500 MB, ${slowUploads} uploads at a byte a second (request timeout ${REQUEST_TIMEOUT_S} s)`,
      figures,
      held,
      notes,
    };
  } finally {
    await parley.dispose();
  }
};

async function metric(parley: ParleyUnderTest, line: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${parley.metricsPort}/metrics`)).text();
  const found = text.split("\n").find((each) => each.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}

function openSocket(parley: ParleyUnderTest, autoPong = true): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(parley.cable, PROTOCOLS, { autoPong, perMessageDeflate: false });
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

async function openMany(
  parley: ParleyUnderTest,
  count: number,
  autoPong: boolean,
  onClose: () => void,
): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, count - i) }, () => openSocket(parley, autoPong)),
    );
    for (const socket of batch) socket.on("close", onClose);
    sockets.push(...batch);
  }
  return sockets;
}

function uploadHead(parley: ParleyUnderTest, length: number): string {
  return (
    "POST /uploads HTTP/1.1\r\n" +
    `Host: ${parley.host}:${parley.port}\r\n` +
    `Origin: ${parley.base}\r\n` +
    `X-Visitor-Token: upload_${Math.random().toString(36).slice(2, 22)}\r\n` +
    "Content-Type: multipart/form-data; boundary=b\r\n" +
    `Content-Length: ${length}\r\n\r\n`
  );
}

function firstResponseLine(parley: ParleyUnderTest, head: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(parley.port, parley.host);
    socket.write(head);
    socket.once("data", (chunk: Buffer) => {
      resolve(chunk.toString("latin1").split("\r\n")[0] ?? "");
      socket.destroy();
    });
    socket.on("error", () => resolve("error"));
  });
}

function dripUpload(parley: ParleyUnderTest): { answer: Promise<{ status: string; atMs: number }> } {
  const started = performance.now();
  const socket = connect(parley.port, parley.host);
  socket.write(uploadHead(parley, 100_000));
  const drip = setInterval(() => socket.writable && socket.write("-"), 1000);
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => {});
  return {
    answer: new Promise((resolve) =>
      socket.on("close", () => {
        clearInterval(drip);
        resolve({ status: text.split(" ")[1] ?? "closed", atMs: performance.now() - started });
      }),
    ),
  };
}

/** Ordinary visitors' round trips: an unknown action answered with an error frame, timed. */
class RoundTrips {
  /** What each lost round trip saw, so a loss can be told apart: socket gone, other frames, nothing. */
  readonly lost: string[] = [];

  constructor(private readonly visitors: Visitor[]) {}

  async measure(durationMs: number): Promise<{ p50: number; p99: number; failures: number }> {
    const samples: number[] = [];
    let failures = 0;
    const started = performance.now();
    const end = started + durationMs;
    let index = 0;
    while (performance.now() < end) {
      const which = index++ % this.visitors.length;
      const visitor = this.visitors[which]!;
      const sent = performance.now();
      const seen: string[] = [];
      const ok = await new Promise<boolean>((resolve) => {
        // A visitor the server dropped counts at once, not once per 10 s timeout.
        if (visitor.client.socket.readyState !== WebSocket.OPEN) return resolve(false);
        const timer = setTimeout(() => resolve(false), 10_000);
        const previous = visitor.client.onMessage;
        visitor.client.onMessage = (message) => {
          seen.push(String(message.type));
          if (message.type === "error") {
            clearTimeout(timer);
            visitor.client.onMessage = previous;
            resolve(true);
          }
        };
        visitor.client.perform(visitor.identifier, { action: "round_trip" });
      });
      if (ok) samples.push(performance.now() - sent);
      else {
        failures++;
        this.lost.push(
          `visitor ${which} at ${round((sent - started) / 1000, 1)} s: socket state ${visitor.client.socket.readyState}, ` +
            `frames seen [${seen.join(",")}]`,
        );
      }
      await sleep(20);
    }
    const summary = summarize(samples);
    return { p50: summary.p50, p99: summary.p99, failures };
  }
}
