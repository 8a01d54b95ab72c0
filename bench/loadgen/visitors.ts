/** Visitors: each a socket subscribed to VisitorChannel with its own token in the identifier. */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { CableClient } from "./cableClient.js";
import { sourceAddresses } from "./sourceAddresses.js";

export interface Visitor {
  client: CableClient;
  /** The identifier string, as subscribed. */
  identifier: string;
}

export interface VisitorConnectResult {
  visitors: Visitor[];
  /** Milliseconds from opening the socket to `confirm_subscription`, per connected visitor. */
  confirmMs: number[];
  failures: number;
  firstFailure: string | undefined;
  wallMs: number;
  /** Share of one core this process used while connecting. */
  loadCpuShare: number;
}

const CONFIRM_TIMEOUT_MS = 15_000;

/**
 * Visitor i's site key (absent: the default site) and token (absent: a fresh one), for runs
 * with Parley's features on (bench/features.ts); without a plan every visitor is new, on the default site.
 */
export type VisitorPlan = (index: number) => { token?: string; site?: string };

/**
 * Connects `count` visitors, `concurrency` of them in flight at any time; visitor i goes to
 * `cableUrls[i mod n]`, so a cluster's nodes get equal shares.
 */
export async function connectVisitors(
  cableUrls: readonly string[],
  host: string,
  count: number,
  concurrency: number,
  plan: VisitorPlan = () => ({}),
): Promise<VisitorConnectResult> {
  const visitors: Visitor[] = [];
  const confirmMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const sourceAddress = sourceAddresses(count, host);

  const connectOne = async (index: number): Promise<void> => {
    const planned = plan(index);
    const token = planned.token ?? `bench_${randomBytes(12).toString("base64url")}`;
    const identifierObject = {
      channel: "VisitorChannel",
      token,
      ...(planned.site === undefined ? {} : { site: planned.site }),
    };
    const opened = performance.now();
    const localAddress = sourceAddress(index);
    const client = new CableClient({
      url: cableUrls[index % cableUrls.length]!,
      ...(localAddress === undefined ? {} : { localAddress }),
    });
    try {
      await client.subscribe(identifierObject, CONFIRM_TIMEOUT_MS);
      confirmMs.push(performance.now() - opened);
      visitors.push({ client, identifier: JSON.stringify(identifierObject) });
    } catch (error) {
      failures++;
      firstFailure ??= error instanceof Error ? error.message : String(error);
      client.close();
    }
  };

  const lane = async (): Promise<void> => {
    while (next < count) await connectOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    visitors,
    confirmMs,
    failures,
    firstFailure,
    wallMs,
    loadCpuShare: (cpu.user + cpu.system) / 1000 / wallMs,
  };
}
