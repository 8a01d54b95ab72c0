/**
 * The flags Node is started with to run the server: the image's CMD, `npm start` and the bench
 * pass these (a test holds the first two to this list), and the process says at start when it
 * runs without them.
 *
 * --max-semi-space-size=8: V8's young generation at most 8 MB a semi-space instead of its
 * default 64 MB. With the default, a busy server scavenged about once a second and each scavenge
 * found some 5 MB still reachable, copied and then promoted it: 25–45 ms a pause, which made the
 * p99 of message delivery at any rate. Scavenging a smaller space more often finds far less of
 * it (0.4–1 MB: much of what a full space holds is reachable only through garbage not yet
 * collected): pauses of 3–8 ms, at most 20, for a little more GC time in all at 1,000 messages a
 * second and less at 125 (docs/benchmarks.md, twenty-first pass). V8 reads this flag only when
 * the process starts, so it cannot be set from inside.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

/** The server flags `execArgv` (the process's own Node flags) lacks. */
export function missingNodeFlags(execArgv: readonly string[]): string[] {
  return SERVER_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}
