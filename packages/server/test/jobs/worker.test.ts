/** The in-process worker over a real (SQLite) store: runs, retries with backoff, gives up, postpones. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, afterEach, beforeEach, describe, it } from "node:test";
import pino from "pino";
import { backoffDelayMs } from "../../src/jobs/backoff.js";
import type { JobHandler, JobOutcome } from "../../src/jobs/job.js";
import { StoreJobQueue } from "../../src/jobs/queue.js";
import { JobWorker } from "../../src/jobs/worker.js";
import { openStore } from "../../src/store/openStore.js";
import type { ClaimedJob, Store } from "../../src/store/store.js";

const root = mkdtempSync(join(tmpdir(), "parley-jobs-"));
after(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("job worker", () => {
  let store: Store;
  let worker: JobWorker;
  let queue: StoreJobQueue;
  let runs: ClaimedJob[];
  let script: ((job: ClaimedJob) => JobOutcome | Promise<JobOutcome>)[];
  let count = 0;

  beforeEach(async () => {
    store = await openStore({ storageDir: join(root, `s${++count}`) });
    await store.migrate();
    runs = [];
    script = [];
    const handler: JobHandler = {
      maxAttempts: 3,
      run: async (job) => {
        runs.push(job);
        const next = script.shift();
        return next === undefined ? { kind: "done" } : next(job);
      },
    };
    worker = new JobWorker({
      store,
      handlers: new Map([["test", handler]]),
      logger: pino({ level: "silent" }),
      pollIntervalMs: 20,
      backoff: { baseMs: 10, capMs: 40 },
    });
    queue = new StoreJobQueue(store);
    queue.enqueued.on(() => worker.wake());
    worker.start();
  });

  afterEach(async () => {
    await worker.stop();
    await store.close();
  });

  it("runs an enqueued job once, at once, and removes it", async () => {
    await queue.enqueue("test", { hello: "world" });
    await until(() => runs.length === 1);
    assert.equal(runs[0]?.payload, '{"hello":"world"}');
    await sleep(100);
    assert.equal(runs.length, 1);
    assert.deepEqual(await store.listJobs(), []);
  });

  it("retries a failed run (a thrown error too) with growing attempts until it succeeds", async () => {
    script = [
      () => {
        throw new Error("ECONNRESET");
      },
      () => ({ kind: "retry", error: "503" }),
    ];
    await queue.enqueue("test", {});
    await until(() => runs.length === 3);
    assert.deepEqual(
      runs.map((run) => run.attempts),
      [0, 1, 2],
    );
    await sleep(50);
    assert.deepEqual(await store.listJobs(), []);
  });

  it("gives up after maxAttempts failed runs", async () => {
    script = [0, 1, 2, 3, 4].map(() => () => ({ kind: "retry", error: "503" }) as const);
    await queue.enqueue("test", {});
    await until(() => runs.length === 3);
    await sleep(150);
    assert.equal(runs.length, 3);
    assert.deepEqual(await store.listJobs(), []);
  });

  it("runs a postponed job again at the time it asked for, without counting an attempt", async () => {
    const asked = Date.now() + 200;
    script = [() => ({ kind: "postpone", until: new Date(asked) })];
    await queue.enqueue("test", {});
    await until(() => runs.length === 2);
    assert.ok(Date.now() >= asked);
    assert.equal(runs[1]?.attempts, 0);
  });

  it("lets a stopping worker finish the job it runs", async () => {
    let release = () => {};
    script = [() => new Promise<JobOutcome>((resolve) => (release = () => resolve({ kind: "done" })))];
    await queue.enqueue("test", {});
    await until(() => runs.length === 1);
    const stopped = worker.stop();
    release();
    await stopped;
    assert.deepEqual(await store.listJobs(), []);
  });
});

describe("job worker's claims", () => {
  let store: Store;
  let stores = 0;
  let worker: JobWorker | undefined;

  beforeEach(async () => {
    store = await openStore({ storageDir: join(root, `claims${++stores}`) });
    await store.migrate();
  });

  afterEach(async () => {
    await worker?.stop();
    await store.close();
  });

  /** A worker that polls once a minute (so only wakes claim), counting its claims. */
  const countingWorker = (concurrency: number, ran: string[]) => {
    const counted = { claims: 0 };
    worker = new JobWorker({
      store: {
        claimJob: (claim) => {
          counted.claims++;
          return store.claimJob(claim);
        },
        completeJob: (id, leaseToken) => store.completeJob(id, leaseToken),
        rescheduleJob: (id, leaseToken, change) => store.rescheduleJob(id, leaseToken, change),
      },
      handlers: new Map([
        ["test", { maxAttempts: 3, run: async (job) => (ran.push(job.payload), { kind: "done" }) }],
      ]),
      logger: pino({ level: "silent" }),
      pollIntervalMs: 60_000,
      concurrency,
    });
    return counted;
  };

  it("claims once more after a run only when the last claim had not found the queue empty", async () => {
    const ran: string[] = [];
    const counted = countingWorker(4, ran);
    const queue = new StoreJobQueue(store);
    queue.enqueued.on(() => worker!.wake());
    worker!.start();
    await until(() => counted.claims === 1);
    await queue.enqueue("test", { n: 1 });
    await until(() => ran.length === 1);
    await sleep(100);
    // The job, then none: the run's end needs no third claim to learn the queue is empty.
    assert.equal(counted.claims, 3);
  });

  it("gives a finished run's slot to a job that was waiting for one, without the poll", async () => {
    const ran: string[] = [];
    const counted = countingWorker(1, ran);
    const queue = new StoreJobQueue(store);
    for (let n = 1; n <= 3; n++) await queue.enqueue("test", { n });
    worker!.start();
    await until(() => ran.length === 3);
    await sleep(100);
    assert.deepEqual(ran, ['{"n":1}', '{"n":2}', '{"n":3}']);
    // One claim a job, and one that found the queue empty.
    assert.equal(counted.claims, 4);
  });
});

describe("backoff", () => {
  it("doubles from the base, keeps to the cap, and jitters within the upper half", () => {
    const policy = { baseMs: 1000, capMs: 300_000 };
    assert.equal(
      backoffDelayMs(1, policy, () => 1),
      1000,
    );
    assert.equal(
      backoffDelayMs(1, policy, () => 0),
      500,
    );
    assert.equal(
      backoffDelayMs(4, policy, () => 1),
      8000,
    );
    assert.equal(
      backoffDelayMs(40, policy, () => 1),
      300_000,
    );
    assert.equal(
      backoffDelayMs(40, policy, () => 0),
      150_000,
    );
  });
});
