/**
 * Scenario 4a, cold start: from spawning the process to the first 200 from `/up`. The first
 * start is a first boot (migrations, first agent); the others are restarts, as deploys are.
 */
import { ServerProcess, type ServerCommand } from "../processes.js";
import { median, round } from "../stats.js";

export interface ColdStartResult {
  firstBootMs: number;
  restartMs: number;
  restarts: number[];
}

const RESTARTS = 3;

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
