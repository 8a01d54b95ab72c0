/**
 * One Parley process for a reliability scenario: a fresh store, a free port, the bench's
 * settings (servers.ts), and a metrics listener of its own so the scenario can read the heap.
 * Restartable on the same store and port, which is what the restart storm needs.
 */
import { freePort, ServerProcess } from "../processes.js";
import { serverCommand } from "../servers.js";
import { freshStore, type Backend, type FreshStore } from "../stores.js";

const HOST = "127.0.0.1";

export class ParleyUnderTest {
  server: ServerProcess | undefined;

  private constructor(
    readonly store: FreshStore,
    readonly port: number,
    readonly metricsPort: number,
    private readonly extraEnv: Record<string, string>,
  ) {}

  static async create(
    backend: Backend,
    databaseUrl: string | undefined,
    label: string,
    extraEnv: Record<string, string> = {},
  ): Promise<ParleyUnderTest> {
    const store = await freshStore(backend, databaseUrl, label);
    return new ParleyUnderTest(store, await freePort(), await freePort(), extraEnv);
  }

  get host(): string {
    return HOST;
  }

  get base(): string {
    return `http://${HOST}:${this.port}`;
  }

  get cable(): string {
    return `ws://${HOST}:${this.port}/cable`;
  }

  /** `upWithinMs`: a restart under a storm of reconnects boots slower than a quiet start. */
  async start(upWithinMs = 30_000): Promise<ServerProcess> {
    const command = serverCommand("parley", this.port, this.store.env);
    command.env = {
      ...command.env,
      METRICS_PORT: String(this.metricsPort),
      METRICS_HOST: HOST,
      ...this.extraEnv,
    };
    const server = ServerProcess.start(command, undefined);
    this.server = server;
    await server.waitUntilUp(`${this.base}/up`, upWithinMs);
    return server;
  }

  /** V8's used heap, from the process's own metrics listener. */
  async heapUsedBytes(): Promise<number> {
    const response = await fetch(`http://${HOST}:${this.metricsPort}/metrics`, {
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    const match = /^nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
    return match === null ? Number.NaN : Number(match[1]);
  }

  async dispose(): Promise<void> {
    await this.server?.stop();
    await this.store.dispose();
  }
}
