/**
 * The Node and V8 flags the server runs with: some given on the command line, one set by the
 * server itself once it is up.
 *
 * On the command line (the image's CMD, `npm start` and the bench pass these; a test holds the
 * first two to this list, and the process says at start when it runs without them):
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
 * Set by the server once it is up (setRuntimeV8Flags, called by startProcess.ts):
 *
 * --no-separate-gc-phases: scavenges go on while a mark-compact is marking. By default V8 (13.6,
 * Node 24) holds them off until the marking ends, so the young generation grows past its 8 MB for
 * as long as the marking lasts: with 15,000 visitors connected, up to 1.4 s of a busy server's
 * allocation, and the mark-compact's pause then copied what of it was still reachable,
 * 42–51 MB, in 90–185 ms (the p99 of any chat it landed in). Scavenged as usual, a mark-compact's
 * pause took 5–16 ms; over alternated chats at 1,000 messages a second the p99 went from 34–181
 * (median 53) to 17–34 ms (median 27) and CPU per message down 7 % (docs/benchmarks.md,
 * twenty-third pass). V8 reads it at each collection, so it can be set at any time; it is not
 * given on the command line because V8 keeps a hash of the flags that differ from its defaults in
 * every code cache and refuses a cache whose hash is not its own. This flag is in that hash (the
 * heap sizes are not), so on the command line it made Node refuse the code cache of its own
 * built-in modules, made when Node was built: each start compiled the 190 that boot loads, some
 * 30 ms of a restart's 200 (docs/benchmarks.md, twenty-seventh pass). Once the server is up,
 * boot has loaded them.
 */
import { setFlagsFromString } from "node:v8";

export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=8"];

/** What the server sets once it is up, each with the flag that undoes it (V8's default). */
const RUNTIME_V8_FLAGS: readonly { set: string; undo: string }[] = [
  { set: "--no-separate-gc-phases", undo: "--separate-gc-phases" },
];

/** The flags setRuntimeV8Flags sets, as a command line would give them. */
export const RUNTIME_V8_FLAG_NAMES: readonly string[] = RUNTIME_V8_FLAGS.map((flag) => flag.set);

/** The Node flags this process was started with: its command line's and NODE_OPTIONS's. */
export function startNodeFlags(): string[] {
  return [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/).filter(Boolean)];
}

/** The server flags `execArgv` (the process's own Node flags) lacks. */
export function missingNodeFlags(execArgv: readonly string[]): string[] {
  return SERVER_NODE_FLAGS.filter((flag) => !execArgv.includes(flag));
}

/** Sets the server's runtime V8 flags: once the server is up, when boot's built-ins are loaded. */
export function setRuntimeV8Flags(): void {
  for (const flag of RUNTIME_V8_FLAGS) setFlagsFromString(flag.set);
}

/**
 * Puts V8's flags back as the process started (those of the runtime flags its command line did
 * not give), so that a code cache made now carries the flag hash the next start will have: made
 * with the runtime flags set, V8 would refuse it at every start (bundleCodeCache.ts).
 */
export function undoRuntimeV8Flags(startFlags: readonly string[] = startNodeFlags()): void {
  for (const flag of RUNTIME_V8_FLAGS) {
    if (!startFlags.includes(flag.set)) setFlagsFromString(flag.undo);
  }
}
