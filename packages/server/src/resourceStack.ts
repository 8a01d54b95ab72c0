/**
 * The parts of a running node, in the order they were opened, each with what closes it. Closing
 * goes newest first, so every part closes while what it depends on is still open; that happens
 * on shutdown and also when a later part fails to open, so a failed boot leaves nothing open (no
 * database pool, Redis client, listener or timer) and the process can exit.
 */
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";

interface Closer {
  part: string;
  close(): Promise<void> | void;
}

/** One step of a shutdown and its duration (logged, and for tests). */
export interface ClosedPart {
  part: string;
  ms: number;
}

export class ResourceStack {
  private readonly closers: Closer[] = [];
  private closing: Promise<ClosedPart[]> | undefined;

  constructor(private readonly logger: Logger) {}

  /**
   * Opens a part and keeps `close` for it. A part that fails to open must undo its own half-open
   * state (its `open` throws with nothing of it left); the parts before it are closed by `close()`.
   */
  async open<T>(
    part: string,
    open: () => Promise<T> | T,
    close: (opened: T) => Promise<void> | void,
  ): Promise<T> {
    if (this.closing !== undefined) throw new Error(`cannot open ${part}: the node is closing`);
    const opened = await open();
    this.closers.push({ part, close: () => close(opened) });
    return opened;
  }

  /** Keeps a step of shutdown that is not a part's own closing (say, pausing intake first). */
  onClose(part: string, close: () => Promise<void> | void): void {
    if (this.closing !== undefined) throw new Error(`cannot add ${part}: the node is closing`);
    this.closers.push({ part, close });
  }

  /**
   * Closes every part, newest first. A part that fails to close is logged and the others still
   * close. Calling it again returns the same promise. Resolves with how long each part took, in
   * the order they closed, which is also logged: a slow shutdown names its slow step.
   */
  close(): Promise<ClosedPart[]> {
    return (this.closing ??= (async () => {
      const closed: ClosedPart[] = [];
      for (let closer = this.closers.pop(); closer !== undefined; closer = this.closers.pop()) {
        const startedAt = performance.now();
        try {
          await closer.close();
        } catch (error) {
          this.logger.error({ err: error, part: closer.part }, "closing a part failed");
        }
        closed.push({ part: closer.part, ms: Math.round(performance.now() - startedAt) });
      }
      if (closed.length > 0) {
        const steps = Object.fromEntries(closed.map(({ part, ms }) => [part, ms]));
        const totalMs = closed.reduce((total, { ms }) => total + ms, 0);
        this.logger.info({ steps, totalMs }, "parts closed");
      }
      return closed;
    })());
  }
}
