/**
 * Disk full (docs/reliability.md): a node whose storage folder (SQLite file, uploads) sits on a
 * tiny filesystem that the run fills up under traffic, then frees. Shared by the quick test and
 * the bench scenario.
 */
import { sqlitePath } from "../../src/store/sqliteDatabase.js";
import { startNode, type NodeProcess } from "../support/processes.js";
import { RELIABILITY_ORIGIN, VisitorTraffic } from "../support/retryingVisitors.js";
import { reliabilityEnv } from "./crashRun.js";
import { checkStored, type StoredCheck } from "./sqliteChecks.js";
import type { TinyDisk } from "./tinyDisk.js";

export interface DiskFullOptions {
  visitors: number;
  rate: number;
  /** Traffic before filling, while full, and after freeing. */
  phaseMs: number;
  log?: (line: string) => void;
}

export interface UpAnswer {
  status: number;
  body: string;
}

export interface DiskFullResult {
  fillerBytes: number;
  sent: number;
  echoed: number;
  lost: number;
  /** Sends refused while full (each retried later with its client_id). */
  refusals: number;
  firstRefusal: string | undefined;
  /** Upload answers: before filling, while full, after freeing. */
  uploads: UpAnswer[];
  /** `/up` answers: before filling, while full, after freeing. */
  up: UpAnswer[];
  /** The node stayed up throughout (no exit). */
  nodeAlive: boolean;
  /** Milliseconds from the first send after filling to its refusal (or 0 when none came). */
  check: StoredCheck;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function answer(response: Promise<Response>): Promise<UpAnswer> {
  const got = await response;
  return { status: got.status, body: await got.text() };
}

function upload(url: string, token: string, bytes: number): Promise<UpAnswer> {
  const form = new FormData();
  form.append("file", new Blob([Buffer.alloc(bytes, "a")], { type: "text/plain" }), "notes.txt");
  return answer(
    fetch(`${url}/uploads`, {
      method: "POST",
      headers: { origin: RELIABILITY_ORIGIN, "x-visitor-token": token },
      body: form,
      signal: AbortSignal.timeout(30_000),
    }),
  );
}

export async function diskFullRun(disk: TinyDisk, options: DiskFullOptions): Promise<DiskFullResult> {
  const log = options.log ?? (() => {});
  const node: NodeProcess = await startNode(reliabilityEnv(disk.dir));
  let alive = true;
  void node.exited.then(() => (alive = false));
  const traffic = new VisitorTraffic(() => (alive ? node.url : undefined), options.visitors, options.rate);
  const token = traffic.visitors[0]!.token;
  const up: UpAnswer[] = [];
  const uploads: UpAnswer[] = [];
  try {
    traffic.start();
    await sleep(options.phaseMs);
    up.push(await answer(fetch(`${node.url}/up`)));
    uploads.push(await upload(node.url, token, 64 * 1024));
    log(
      `before: /up ${up[0]!.status}, upload ${uploads[0]!.status}, sent ${traffic.sent()}, echoed ${traffic.echoed()}`,
    );

    const fillerBytes = disk.fill();
    const refusalsBefore = traffic.refusals();
    // Traffic goes on until the store has refused sends (the WAL may have room for a while).
    const deadline = Date.now() + Math.max(options.phaseMs, 30_000);
    while (traffic.refusals() === refusalsBefore && Date.now() < deadline) await sleep(50);
    await sleep(options.phaseMs);
    up.push(await answer(fetch(`${node.url}/up`)));
    uploads.push(await upload(node.url, token, 64 * 1024));
    log(
      `full (${fillerBytes} B filler): /up ${up[1]!.status} ${up[1]!.body}, upload ${uploads[1]!.status} ${uploads[1]!.body}, ` +
        `refusals ${traffic.refusals()} (${traffic.firstRefusal() ?? "none"})`,
    );

    disk.free();
    await sleep(options.phaseMs);
    up.push(await answer(fetch(`${node.url}/up`)));
    uploads.push(await upload(node.url, token, 64 * 1024));
    traffic.stop();
    const lost = await traffic.drain(30_000);
    log(
      `freed: /up ${up[2]!.status}, upload ${uploads[2]!.status}, sent ${traffic.sent()}, echoed ${traffic.echoed()}`,
    );
    const nodeAlive = alive;
    const errors = node
      .output()
      .split("\n")
      .filter((line) => line.includes('"level":50'));
    log(`node logged ${errors.length} errors; first: ${errors[0]?.slice(0, 600) ?? "none"}`);
    node.kill("SIGTERM");
    await node.exited;
    return {
      fillerBytes,
      sent: traffic.sent(),
      echoed: traffic.echoed(),
      lost,
      refusals: traffic.refusals(),
      firstRefusal: traffic.firstRefusal(),
      uploads,
      up,
      nodeAlive,
      check: checkStored(sqlitePath(disk.dir), traffic.visitors),
    };
  } finally {
    traffic.close();
    node.kill("SIGKILL");
    await node.exited;
  }
}
