/**
 * A short unmeasured run against a throwaway baseline before anything is measured, so the load
 * generator's own code is compiled and warm: otherwise whichever server goes first is measured
 * with a cold client, whose connects and sends are slower.
 */
import { connectScenario } from "./scenarios/connect.js";
import { runTraffic } from "./loadgen/traffic.js";
import { freePort, ServerProcess, sleep, type Cores } from "./processes.js";
import { serverCommand } from "./servers.js";
import { freshStore } from "./stores.js";

const WARM_UP_VISITORS = 2000;

export async function warmUpLoadGenerator(agents: number, cores: Cores): Promise<void> {
  const store = await freshStore("sqlite", undefined, "warmup");
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = ServerProcess.start(serverCommand("baseline", port, store.env), cores.server);
  try {
    await server.waitUntilUp(`${base}/up`);
    const { population } = await connectScenario(
      server,
      [{ base, cable: `ws://127.0.0.1:${port}/cable`, host: "127.0.0.1" }],
      { visitors: WARM_UP_VISITORS, agents, concurrency: 200, settleMs: 0 },
    );
    await runTraffic(population, server, { rate: 500, durationS: 2, graceMs: 2000, idleCpuMsPerS: 0 });
    population.close();
    await sleep(500);
  } finally {
    await server.stop();
    await store.dispose();
  }
}
