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
 *
 * --no-separate-gc-phases: scavenges go on while a mark-compact is marking. By default V8 (13.6,
 * Node 24) holds them off until the marking ends, so the young generation grows past its 8 MB for
 * as long as the marking lasts: with 15,000 visitors connected, up to 1.4 s of a busy server's
 * allocation, and the mark-compact's pause then copied what of it was still reachable,
 * 42–51 MB, in 90–185 ms (the p99 of any chat it landed in). Scavenged as usual, a mark-compact's
 * pause took 5–16 ms; over alternated chats at 1,000 messages a second the p99 went from 34–181
 * (median 53) to 17–34 ms (median 27) and CPU per message down 7 % (docs/benchmarks.md,
 * twenty-third pass).
 *
 * It has a cost at start: V8 keeps a hash of the flags that differ from its defaults in every
 * code cache and refuses a cache whose hash is not its own, and this flag is in that hash (the
 * heap sizes are not), so Node compiles the built-in modules boot loads from source instead of
 * from the cache it was built with: a restart to `/up` takes about 50 ms more (270 against 220 on
 * one core). Setting it from inside once the server was up (v8.setFlagsFromString) saved those
 * 50 ms, and the young generation still stayed within its semi-space, but over ten alternated
 * chats on Postgres the p99 of delivery was worse (median 89 against 62 ms) and no cause was
 * found, so it stays here (docs/benchmarks.md, twenty-seventh pass).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8", "--no-separate-gc-phases"];

/** The server flags `execArgv` (the process's own Node flags) lacks. */
export function missingNodeFlags(execArgv: readonly string[]): string[] {
  return SERVER_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}
