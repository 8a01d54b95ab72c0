/**
 * A running server's V8 helper threads are at nice 19 and its event loop's thread keeps its
 * priority (src/v8WorkerPriority.ts says why), read from the real process's /proc entries.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { V8_WORKER_NICE, V8_WORKER_THREAD_NAME } from "../../src/v8WorkerPriority.js";
import { startNode } from "../support/processes.js";

interface Thread {
  id: number;
  name: string;
  nice: number;
}

/** A process's threads, each with its name and nice value (field 19 of its stat line). */
function threadsOf(pid: number): Thread[] {
  return readdirSync(`/proc/${pid}/task`).map((id) => {
    const stat = readFileSync(`/proc/${pid}/task/${id}/stat`, "utf8");
    // The name in parentheses may hold spaces; the fields after it start at the third.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return {
      id: Number(id),
      name: readFileSync(`/proc/${pid}/task/${id}/comm`, "utf8").trim(),
      nice: Number(fields[19 - 3]),
    };
  });
}

test(
  "the server runs V8's helper threads at the lowest priority and its event loop at its own",
  {
    skip: existsSync("/proc/self/task") ? false : "no /proc: only Linux lets a thread have its own priority",
  },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), "parley-priority-"));
    const node = await startNode({ STORAGE_DIR: dir });
    try {
      const threads = threadsOf(node.pid);
      const helpers = threads.filter((thread) => thread.name === V8_WORKER_THREAD_NAME);
      assert.ok(helpers.length > 0, `no ${V8_WORKER_THREAD_NAME} among ${JSON.stringify(threads)}`);
      assert.deepEqual(
        helpers.map((thread) => thread.nice),
        helpers.map(() => V8_WORKER_NICE),
      );
      // The event loop's thread has the process's id, and the priority the test started it with.
      const loop = threads.find((thread) => thread.id === node.pid);
      assert.ok(loop !== undefined && loop.name !== V8_WORKER_THREAD_NAME);
      assert.ok(loop.nice < V8_WORKER_NICE, `the event loop's thread at nice ${loop.nice}`);
      const others = threads.filter((thread) => thread.name !== V8_WORKER_THREAD_NAME);
      assert.deepEqual(
        others.filter((thread) => thread.nice !== loop.nice),
        [],
        "the event loop's thread and the others keep the process's priority",
      );
    } finally {
      node.kill("SIGKILL");
      await node.exited;
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
