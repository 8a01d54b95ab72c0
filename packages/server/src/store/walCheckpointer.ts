/**
 * SQLite's WAL checkpoints, moved off the event loop once the server writes a lot.
 *
 * In WAL mode a commit appends pages to the -wal file, and every 1,000 pages the committing
 * connection copies them back into the database file: a checkpoint, which on synchronous=NORMAL
 * also waits for two fsyncs. A message's append writes about 11 pages (the message, its
 * conversation and their indexes), so at 1,000 messages a second the event loop stopped for a
 * checkpoint about 11 times a second, 12–14 ms each on the bench machine: a seventh of its time,
 * and every message that arrived meanwhile waited (docs/benchmarks.md, fourteenth pass).
 *
 * Here a worker thread with a connection of its own checkpoints every 200 ms without waiting for
 * anyone (PASSIVE): the copying and most of the fsync work happen beside the event loop. A
 * passive checkpoint cannot end the log while the writer keeps appending to it, though, and
 * SQLite starts the -wal file over only once everything in it has been copied. So when the log
 * has grown past 8,192 pages (32 MB) the worker catches up (passes back to back until one copies
 * almost nothing) and says so, and the main connection checkpoints what is left, the pages of the
 * last moment: then nothing is left, and the next commit starts the log over. That is the one
 * checkpoint left on the event loop, once per 8,192 pages instead of every 1,000, and short:
 * mostly its two fsyncs (without the catching up it copied everything since the worker's last
 * regular pass, 20 ms every half second at 1,700 messages a second on the bench machine). Should
 * the worker stall, the main connection's own threshold (four times that) still bounds the file.
 *
 * A worker costs about 19 MB and 90 ms of CPU to start, which a site writing a few messages a
 * minute should not pay for nothing: it starts once 100 appends commit within a second, and
 * stays. Should it fail, the main connection checkpoints every 1,000 pages again, SQLite's
 * default.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import type { StoreLogger } from "./logger.js";

/** When the worker starts and how it works; the defaults are the server's, tests shrink them. */
export interface WalCheckpointerOptions {
  /** Appends in one second that start the worker: below it, checkpoints cost the loop little. */
  busyWritesPerSecond?: number;
  /** How often the worker checkpoints: reads search only the pages it has not copied yet. */
  everyMs?: number;
  /** A log this long is finished on the main connection, so that it starts over. */
  restartPages?: number;
  /** The main connection's own threshold while the worker runs, should the worker stall. */
  backstopPages?: number;
  /** The worker catches up until a pass copies no more than this, then hands the log over. */
  handoverPages?: number;
}

/** 32 MB of -wal at 4 KB pages. */
const RESTART_PAGES = 8192;
/**
 * The worker hands a log over to the main connection once a pass of its own copied no more than
 * this: 256 KB, well under a millisecond of copying.
 */
const HANDOVER_PAGES = 64;
/** SQLite's default: what the main connection goes back to without the worker. */
const DEFAULT_CHECKPOINT_PAGES = 1000;

/** `off`: an in-memory database or one not in WAL mode, which has no log to checkpoint. */
export type CheckpointerState = "idle" | "starting" | "running" | "failed" | "off" | "closed";

/** The logs the main connection finished: how often, and how many pages it copied doing so. */
export interface Handovers {
  count: number;
  pagesOnMain: number;
}

export interface WalCheckpointer {
  /** Appends just committed: counted towards starting the worker. */
  noteWrites(count: number): void;
  readonly state: CheckpointerState;
  readonly handovers: Readonly<Handovers>;
  /** Stops the worker (its connection closed) and gives checkpoints back to the main connection. */
  close(): Promise<void>;
}

/**
 * The worker's whole program, CommonJS, run with `eval` so the server's bundle needs no file of
 * its own for it. It loads better-sqlite3 from the path the main thread resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
let timer;
const checkpoint = () => {
  try {
    let [result] = db.pragma("wal_checkpoint(PASSIVE)");
    if (result && result.log >= workerData.restartPages) {
      // Catch up first: passes back to back, each copying what was written during the one before,
      // until one copies a handful of pages. Then the main connection's finishing pass, which
      // stops its event loop, has only the pages of that last moment to copy.
      for (let pass = 0; pass < 8; pass++) {
        const copied = result.checkpointed;
        [result] = db.pragma("wal_checkpoint(PASSIVE)");
        if (result.checkpointed - copied <= workerData.handoverPages) break;
      }
      parentPort.postMessage({ restart: true, checkpointed: result.checkpointed });
    }
    timer = setTimeout(checkpoint, workerData.everyMs);
  } catch (error) {
    // Another connection's lock of the moment (a backup, the CLI), or a full disk: the next pass
    // will do, once the lock is gone or there is room again.
    if (error && ["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL"].includes(error.code)) {
      timer = setTimeout(checkpoint, workerData.everyMs);
      return;
    }
    parentPort.postMessage({ failed: String((error && error.message) || error) });
    db.close();
    parentPort.close();
  }
};
parentPort.on("message", (message) => {
  if (message !== "stop") return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
timer = setTimeout(checkpoint, workerData.everyMs);
`;

type WorkerMessage = { ready: true } | { restart: true; checkpointed: number } | { failed: string };

export function walCheckpointer(
  db: Database.Database,
  logger?: StoreLogger,
  options: WalCheckpointerOptions = {},
): WalCheckpointer {
  const busyWritesPerSecond = options.busyWritesPerSecond ?? 100;
  const everyMs = options.everyMs ?? 200;
  const restartPages = options.restartPages ?? RESTART_PAGES;
  const backstopPages = options.backstopPages ?? 4 * restartPages;
  const handoverPages = options.handoverPages ?? HANDOVER_PAGES;
  const handovers: Handovers = { count: 0, pagesOnMain: 0 };
  let state: CheckpointerState = "idle";
  let worker: Worker | undefined;
  let windowStart = 0;
  let writesInWindow = 0;

  // A connection setting, which SQLite takes inside a transaction too.
  const mainCheckpointsEvery = (pages: number) => {
    if (db.open) db.pragma(`wal_autocheckpoint = ${pages}`);
  };

  const start = () => {
    // A database in memory or not in WAL mode has no -wal file to checkpoint.
    if (db.memory || String(db.pragma("journal_mode", { simple: true })) !== "wal") {
      state = "off";
      return;
    }
    state = "starting";
    const thread = new Worker(WORKER_SOURCE, {
      eval: true,
      name: "sqlite-checkpointer",
      workerData: {
        driver: createRequire(import.meta.url).resolve("better-sqlite3"),
        path: db.name,
        everyMs,
        restartPages,
        handoverPages,
      },
      // Its heap holds a timer and a connection; the limits keep a leak from growing unseen.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    worker = thread;
    const failed = (error: string) => {
      if (state === "closed") return;
      state = "failed";
      logger?.warn(
        { error },
        "sqlite: the checkpoint worker stopped; checkpoints are back on the main connection",
      );
    };
    thread.on("message", (message: WorkerMessage) => {
      if ("restart" in message) {
        // Synchronously, so no commit comes between: this pass copies all the worker's left and
        // the next commit starts the log over. Not inside a transaction some awaited work holds
        // open on the connection (SQLite refuses with SQLITE_LOCKED): the worker asks again after
        // its next pass.
        if (!db.open || db.inTransaction) return;
        try {
          const [result] = db.pragma("wal_checkpoint(PASSIVE)") as { checkpointed: number }[];
          handovers.count++;
          // Less than the worker's count when the log started over since: then nothing was left.
          handovers.pagesOnMain += Math.max(0, result!.checkpointed - message.checkpointed);
        } catch (error) {
          logger?.warn(
            { error: String(error) },
            "sqlite: finishing a checkpoint failed; the worker will ask again",
          );
        }
      } else if ("ready" in message) {
        if (state !== "starting") return;
        state = "running";
        mainCheckpointsEvery(backstopPages);
        logger?.info({ everyMs, restartPages }, "sqlite: checkpoints run in a worker thread");
      } else failed(message.failed);
    });
    thread.on("error", (error) => failed(String(error)));
    thread.on("exit", () => {
      worker = undefined;
      if (state !== "closed") failed("exited");
      mainCheckpointsEvery(DEFAULT_CHECKPOINT_PAGES);
    });
    // It never keeps the process alive by itself. After the listeners: adding a "message"
    // listener refs the worker's port again.
    thread.unref();
  };

  return {
    noteWrites(count) {
      if (state !== "idle") return;
      const now = performance.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        writesInWindow = 0;
      }
      writesInWindow += count;
      if (writesInWindow >= busyWritesPerSecond) start();
    },
    get state() {
      return state;
    },
    handovers,
    async close() {
      if (state !== "off") state = "closed";
      const thread = worker;
      if (thread === undefined) return;
      const exited = new Promise<void>((resolve) => thread.once("exit", () => resolve()));
      // Held alive until it has closed its connection.
      thread.ref();
      thread.postMessage("stop");
      await exited;
    },
  };
}
