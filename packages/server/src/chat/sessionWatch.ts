/**
 * Closes this process's sockets of sessions that ended anywhere: on another node (a notice on
 * the broker, at once), or in a process that shares only the database, such as `parley agent
 * remove` beside a server on SQLite, and after a notice lost in a Redis outage (a check of the
 * held sessions against the store every second). The check also closes sessions as they
 * expire, without waiting for the sweep that deletes them.
 */
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import { Signal } from "../signal.js";
import type { Store } from "../store/store.js";
import { SESSIONS_STREAM } from "./streams.js";

/** A session ended elsewhere keeps its sockets at most this long (plus one query) without a notice. */
export const SESSION_CHECK_INTERVAL_MS = 1000;

export interface SessionWatchOptions {
  store: Store;
  broker: Broker;
  logger: Logger;
  now(): Date;
  /** The sessions this process's sockets serve right now. */
  held(): Iterable<string>;
  intervalMs?: number;
}

export class SessionWatch {
  /** Each held session found ended elsewhere, so this process closes its sockets. */
  readonly ended = new Signal<string>();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private checking = false;

  constructor(private readonly options: SessionWatchOptions) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.options.broker.subscribe(SESSIONS_STREAM, ({ event }) => {
      if (event.type === "sessions_ended") for (const id of event.session_ids) this.ended.emit(id);
    });
    this.timer = setInterval(() => void this.check(), this.options.intervalMs ?? SESSION_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  /** One query for every session held; a slow store skips ticks rather than piling queries up. */
  async check(): Promise<void> {
    if (this.checking) return;
    const held = [...this.options.held()];
    if (held.length === 0) return;
    this.checking = true;
    try {
      const live = new Set(await this.options.store.liveSessionIds(held, this.options.now().toISOString()));
      for (const id of held) if (!live.has(id)) this.ended.emit(id);
    } catch (error) {
      this.options.logger.warn({ err: error }, "checking open sessions against the store failed");
    } finally {
      this.checking = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
  }
}
