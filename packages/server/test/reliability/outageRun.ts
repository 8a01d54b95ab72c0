/**
 * Postgres unreachable under traffic (docs/reliability.md): a node on Postgres through a proxy
 * the run cuts for a while (connections destroyed, new ones refused) while retrying visitors
 * send, then restores. Shared by the quick test and the bench scenario.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { PostgresSchema } from "../support/postgres.js";
import { startNode, type NodeProcess } from "../support/processes.js";
import { VisitorTraffic, type RetryingVisitor } from "../support/retryingVisitors.js";
import { reliabilityEnv } from "./crashRun.js";
import { CuttableProxy } from "./cuttableProxy.js";

export interface OutageOptions {
  visitors: number;
  rate: number;
  /** Traffic before the cut and after it. */
  phaseMs: number;
  outageMs: number;
  log?: (line: string) => void;
}

export interface OutageResult {
  sent: number;
  echoed: number;
  /** Sends never echoed even after retrying. */
  lost: number;
  refusals: number;
  firstRefusal: string | undefined;
  duplicateEchoes: number;
  /** `/up` statuses polled during the cut (each answered, none hung). */
  upDuringOutage: number[];
  upBodyDuringOutage: string | undefined;
  /** From the proxy's return until `/up` answered 200 again. */
  recoveryMs: number;
  /** From the proxy's return until every send was echoed. */
  drainMs: number;
  nodeAlive: boolean;
  storedRows: number;
  duplicates: number;
  echoedButMissing: number;
  nodeErrors: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `url` with its host and port replaced by the proxy's (the schema and options kept). */
function throughProxy(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return proxied.toString();
}

async function upStatus(url: string): Promise<{ status: number; body: string }> {
  try {
    const response = await fetch(`${url}/up`, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: String(error) };
  }
}

async function stored(schemaUrl: string, visitors: readonly RetryingVisitor[]) {
  const client = new pg.Client({ connectionString: schemaUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ token: string; client_id: string; n: string }>(
      `select c.visitor_token as token, m.client_id, count(*) as n
         from messages m join conversations c on c.id = m.conversation_id
        where m.client_id is not null group by c.visitor_token, m.client_id`,
    );
    const counts = new Map(rows.map((row) => [`${row.token} ${row.client_id}`, Number(row.n)]));
    let storedRows = 0;
    let duplicates = 0;
    for (const n of counts.values()) {
      storedRows += n;
      if (n > 1) duplicates++;
    }
    let echoedButMissing = 0;
    for (const visitor of visitors)
      for (const clientId of visitor.echoed)
        if (!counts.has(`${visitor.token} ${clientId}`)) echoedButMissing++;
    return { storedRows, duplicates, echoedButMissing };
  } finally {
    await client.end();
  }
}

export async function outageRun(schema: PostgresSchema, options: OutageOptions): Promise<OutageResult> {
  const log = options.log ?? (() => {});
  const target = new URL(schema.url);
  const proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  const dir = mkdtempSync(join(tmpdir(), "parley-outage-"));
  let node: NodeProcess | undefined;
  let traffic: VisitorTraffic | undefined;
  try {
    node = await startNode({ ...reliabilityEnv(dir), DATABASE_URL: throughProxy(schema.url, proxy.port) });
    let alive = true;
    const started = node;
    void node.exited.then((code) => {
      alive = false;
      // null: killed by the run itself at the end.
      if (code !== null) log(`the node exited (${String(code)}):\n${started.output().slice(-3000)}`);
    });
    const url = node.url;
    traffic = new VisitorTraffic(() => (alive ? url : undefined), options.visitors, options.rate);
    traffic.start();
    await sleep(options.phaseMs);
    log(`before the cut: sent ${traffic.sent()}, echoed ${traffic.echoed()}`);

    await proxy.cut();
    const cutEnds = Date.now() + options.outageMs;
    const upDuringOutage: number[] = [];
    let upBodyDuringOutage: string | undefined;
    while (Date.now() < cutEnds) {
      const up = await upStatus(url);
      upDuringOutage.push(up.status);
      if (up.status !== 200) upBodyDuringOutage ??= up.body;
      await sleep(Math.min(1000, Math.max(0, cutEnds - Date.now())));
    }
    log(
      `during the cut: /up ${[...new Set(upDuringOutage)].join(",")} (${upBodyDuringOutage ?? ""}), ` +
        `refusals ${traffic.refusals()} (${traffic.firstRefusal() ?? "none"})`,
    );

    await proxy.restore();
    const restored = Date.now();
    while ((await upStatus(url)).status !== 200 && Date.now() - restored < 60_000) await sleep(100);
    const recoveryMs = Date.now() - restored;
    await sleep(options.phaseMs);
    traffic.stop();
    const lost = await traffic.drain(60_000);
    const drainMs = Date.now() - restored;
    log(
      `after: /up back in ${recoveryMs} ms, sent ${traffic.sent()}, echoed ${traffic.echoed()}, lost ${lost}`,
    );
    const nodeAlive = alive;
    const nodeErrors = node
      .output()
      .split("\n")
      .filter((line) => line.includes('"level":50')).length;
    const check = await stored(schema.url, traffic.visitors);
    return {
      sent: traffic.sent(),
      echoed: traffic.echoed(),
      lost,
      refusals: traffic.refusals(),
      firstRefusal: traffic.firstRefusal(),
      duplicateEchoes: traffic.duplicateEchoes(),
      upDuringOutage,
      upBodyDuringOutage,
      recoveryMs,
      drainMs,
      nodeAlive,
      nodeErrors,
      ...check,
    };
  } finally {
    traffic?.close();
    if (node !== undefined) {
      node.kill("SIGKILL");
      await node.exited;
    }
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
