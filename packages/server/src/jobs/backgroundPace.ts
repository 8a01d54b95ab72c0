/**
 * Lets background work (webhook deliveries) give way to chat when the server is busy. Both run on
 * one event loop: a delivery's request, its response and its records cost the loop as much as a
 * chat message does, and a busy loop makes every message wait behind them. Chat is what people
 * wait for; a webhook receiver can hear of an event a little later.
 *
 * So before each batch, background work asks for room: while the loop was busy more than
 * `busyAbove` of the last window (its event loop utilization), it waits a step and asks again,
 * but never longer than `maxWaitMs` in all, so it still moves on a loop that is busy for good.
 */
import { performance, type EventLoopUtilization } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

export interface BackgroundPaceOptions {
  /** The loop's busy share (0–1) above which background work waits. */
  busyAbove: number;
  /** How long one wait is; the loop's load is read again after it. */
  stepMs: number;
  /** The most a batch waits in all. */
  maxWaitMs: number;
}

/** The window the loop's load is read over: long enough to smooth one message's burst. */
const WINDOW_MS = 50;

export class BackgroundPace {
  private mark: EventLoopUtilization = performance.eventLoopUtilization();
  private markedAt = performance.now();
  private recent = 0;

  constructor(private readonly options: BackgroundPaceOptions) {}

  /** The loop's busy share over the last window (read again once a window has passed). */
  load(): number {
    const now = performance.now();
    if (now - this.markedAt >= WINDOW_MS) {
      const current = performance.eventLoopUtilization();
      this.recent = performance.eventLoopUtilization(current, this.mark).utilization;
      this.mark = current;
      this.markedAt = now;
    }
    return this.recent;
  }

  /** Resolves once the loop has room for a batch, or after `maxWaitMs`. */
  async room(): Promise<void> {
    const deadline = performance.now() + this.options.maxWaitMs;
    while (this.load() > this.options.busyAbove && performance.now() < deadline) {
      await sleep(this.options.stepMs);
    }
  }
}
