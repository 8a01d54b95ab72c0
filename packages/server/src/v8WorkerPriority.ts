/**
 * V8's helper threads at the lowest CPU priority (nice 19), so that the event loop wins the core
 * they share with it.
 *
 * Once the heap is large (15,000 connected visitors: some 130 MB in 1.7 million objects), each
 * mark-compact's concurrent marking kept a helper thread busy for 700–800 ms. On a machine with
 * a core to spare that costs the loop nothing; on one core (a small VPS, or the bench's server
 * pinned to one) the kernel shared the core evenly between the marker and the loop, the loop fell
 * behind at 1,000 messages a second, and messages waited 100–400 ms: one mark-compact was the
 * chat's p99 (127–190 ms over a 30 s chat, 13–21 ms in runs where none came). With the helpers at
 * nice 19 the marking runs in the time the loop leaves, and V8 does what is left on the main
 * thread: the pause that ends a mark-compact grew from 9–19 to 31–43 ms, and the p99 over the
 * same chats was 18–38 ms; scavenge pauses did not change (docs/benchmarks.md, twenty-second
 * pass). The pause grew because the slower marking (up to 1.4 s) held off scavenges all along, so
 * the young generation grew and the pause copied it: nodeFlags.ts's --no-separate-gc-phases
 * keeps scavenging during the marking, and the pause at 5–16 ms. With cores to spare, nothing
 * changes: a nice value only matters when threads compete for a core.
 *
 * Linux only: there a thread has a nice value of its own (setpriority on its thread id), and
 * /proc names the threads; Node names V8's platform pool (its `--v8-pool-size` threads, made at
 * start) "V8Worker". Elsewhere nothing is changed. Lowering one's own priority needs no privilege.
 */
import { readdirSync, readFileSync } from "node:fs";
import { setPriority } from "node:os";

/** What Node names the threads of V8's platform pool. */
export const V8_WORKER_THREAD_NAME = "V8Worker";
/** The lowest priority: such a thread runs when nothing else on its core wants to. */
export const V8_WORKER_NICE = 19;

/** Where a process's threads are listed, each with its name (`comm`). */
const THREADS = "/proc/self/task";

export interface LoweredThreads {
  /** Threads set to V8_WORKER_NICE. */
  lowered: number;
  /** Why some or all could not be (no /proc, a refusal); undefined when all were. */
  problem?: string;
}

/** Sets every V8 helper thread of this process to V8_WORKER_NICE. */
export function lowerV8WorkerPriority(): LoweredThreads {
  let threadIds: string[];
  try {
    threadIds = readdirSync(THREADS);
  } catch {
    return { lowered: 0, problem: `${THREADS} cannot be read: not Linux, or no /proc` };
  }
  let lowered = 0;
  let problem: string | undefined;
  for (const threadId of threadIds) {
    try {
      if (readFileSync(`${THREADS}/${threadId}/comm`, "utf8").trim() !== V8_WORKER_THREAD_NAME) continue;
      setPriority(Number(threadId), V8_WORKER_NICE);
      lowered += 1;
    } catch (error) {
      // A thread that ended meanwhile, or a refusal: the others are still worth lowering.
      problem = `thread ${threadId}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (lowered === 0 && problem === undefined) problem = `no thread named ${V8_WORKER_THREAD_NAME}`;
  return problem === undefined ? { lowered } : { lowered, problem };
}
