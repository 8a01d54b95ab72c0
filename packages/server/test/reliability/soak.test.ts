/**
 * Soak, small (the bench's soak scenario runs 30 minutes at 2,000 visitors): a server process
 * with 60 visitors and an agent, 20 messages a second with typing for 60 s, sampled every 10 s.
 * After 20 s of warm-up its open files must not grow, its heap after a full collection (read over
 * the inspector at the end of each window) must grow by less than 5 %, and every message must reach
 * its sender and the agent. Resident memory still rises in a process's first minutes (V8 and
 * SQLite growing their spaces), so here it only must not run away (under 25 %); the bench's
 * 30-minute soak holds it to 5 % once it has levelled off.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { connectAgents } from "../../../../bench/loadgen/agents.js";
import { Population } from "../../../../bench/loadgen/population.js";
import { runTraffic } from "../../../../bench/loadgen/traffic.js";
import { connectVisitors } from "../../../../bench/loadgen/visitors.js";
import { processCpuMs } from "../../../../bench/processes.js";
import { memoryAfterCollection } from "../../../../bench/reliability/collectedMemory.js";
import { freePort, residentBytes, startNode } from "../support/processes.js";
import { OWNER } from "../support/testServer.js";

const VISITORS = 60;
const RATE = 20;
const WINDOW_S = 10;
const WINDOWS = 6;
const WARM_UP_WINDOWS = 2;

interface Sample {
  rss: number;
  openFiles: number;
  heap: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

describe("soak", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("holds memory, files and deliveries steady under a minute of chat and typing", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "parley-soak-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const inspectPort = await freePort();
    const node = await startNode(
      {
        STORAGE_DIR: dir,
        ADMIN_USER: OWNER.username,
        ADMIN_PASSWORD: OWNER.password,
        MAX_CONNECTIONS_PER_ADDRESS: "0",
        NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
        RATE_LIMIT_PER_MINUTE: "100000",
      },
      [`--inspect=127.0.0.1:${inspectPort}`],
    );
    cleanups.push(async () => {
      node.kill();
      await node.exited;
    });
    const cable = node.url.replace("http", "ws") + "/cable";
    const connected = await connectVisitors([cable], "127.0.0.1", VISITORS, 10);
    assert.equal(connected.failures, 0, connected.firstFailure);
    const agents = await connectAgents([{ base: node.url, cable }], 1, OWNER);
    const population = new Population(connected.visitors, agents);
    cleanups.push(() => population.close());

    let typed = 0;
    const typing = setInterval(() => {
      const visitor = connected.visitors[typed++ % VISITORS]!;
      visitor.client.perform(visitor.identifier, { action: "typing", typing: typed % 2 === 0 });
    }, 100);
    cleanups.push(() => clearInterval(typing));

    const measured = {
      cpuMs: () => processCpuMs(node.pid),
      rssBytes: () => residentBytes(node.pid),
      peakRssBytes: () => residentBytes(node.pid),
      openFiles: () => readdirSync(`/proc/${node.pid}/fd`).length,
    };
    const samples: Sample[] = [];
    let sent = 0;
    for (let window = 0; window < WINDOWS; window++) {
      const traffic = await runTraffic(population, measured, {
        rate: RATE,
        durationS: WINDOW_S,
        graceMs: 30_000,
        idleCpuMsPerS: 0,
      });
      sent += traffic.sent;
      assert.equal(traffic.missingEchoes, 0, `window ${window}: echoes missing`);
      assert.equal(traffic.missingAgentDeliveries, 0, `window ${window}: agent deliveries missing`);
      assert.equal(traffic.refusals, 0, traffic.firstRefusal);
      assert.equal(traffic.dropped, 0, `window ${window}: sockets dropped`);
      samples.push({
        rss: measured.rssBytes(),
        openFiles: measured.openFiles(),
        heap: (await memoryAfterCollection(inspectPort)).heapUsed,
      });
    }
    assert.equal(sent, RATE * WINDOW_S * WINDOWS);
    assert.ok(typed > 0);

    const settled = samples.slice(WARM_UP_WINDOWS);
    const half = settled.length / 2;
    const growth = (pick: (sample: Sample) => number) =>
      median(settled.slice(half).map(pick)) / median(settled.slice(0, half).map(pick)) - 1;
    const report = samples.map(
      (s) => `${(s.rss / 2 ** 20).toFixed(1)}/${s.openFiles}/${(s.heap / 2 ** 20).toFixed(1)}`,
    );
    t.diagnostic(`samples, RSS MB/open files/heap MB: ${report.join(", ")}`);
    assert.ok(growth((sample) => sample.openFiles) <= 0, `open files grew: ${report.join(", ")}`);
    assert.ok(growth((sample) => sample.heap) < 0.05, `heap grew 5 % or more: ${report.join(", ")}`);
    assert.ok(growth((sample) => sample.rss) < 0.25, `RSS ran away: ${report.join(", ")}`);
  });
});
