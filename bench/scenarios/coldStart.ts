/**
 * Scenario 4a, cold start: from spawning the process to the first 200 from `/up`. The first
 * start is a first boot (migrations, first agent); the others are restarts, as deploys are.
 *
 * Nine restarts: single restarts of the same build on this project's two-core machines spread
 * over ±50 ms around a median of 200–270 ms (the baseline's around 100–145), so a median of
 * three moved the ratio by tenths between two full runs of the same server code (1.94× and
 * 2.02× on SQLite, 1.93× and 2.60× on Postgres); nine cost each server about two seconds more.
 */
import { ServerProcess, type ServerCommand } from "../processes.js";
import { median, round } from "../stats.js";

export interface ColdStartResult {
  firstBootMs: number;
  restartMs: number;
  restarts: number[];
}

const RESTARTS = 9;

export async function coldStartScenario(
  command: ServerCommand,
  upUrl: string,
  core: number | undefined,
): Promise<ColdStartResult> {
  const times: number[] = [];
  for (let i = 0; i <= RESTARTS; i++) {
    const server = ServerProcess.start(command, core);
    try {
      times.push(round(await server.waitUntilUp(upUrl), 1));
    } finally {
      await server.stop();
    }
  }
  const [firstBootMs, ...restarts] = times;
  return { firstBootMs: firstBootMs!, restartMs: round(median(restarts), 1), restarts };
}
