/**
 * Lookups by key asked for in one turn of the event loop, answered by one lookup of them all.
 *
 * A burst of visitors subscribing (a deploy's reconnects, a campaign's page views) reads each
 * one's conversation by token. On Postgres that was one round trip each, to a database sharing
 * the machine, through a pool of ten connections: the subscribes queued for the pool. Those read
 * in one poll phase of the loop are answered by one `in (…)` statement instead, after that phase
 * (`setImmediate`, as the appends' group commit).
 */
export type LookupPerTurn<Key, Value> = (key: Key) => Promise<Value | undefined>;

interface Waiting<Key, Value> {
  key: Key;
  resolve(value: Value | undefined): void;
  reject(error: unknown): void;
}

/**
 * `lookupAll` gets the turn's keys, each once, and returns what it found; `keyOf` says which key
 * a found value answers. A key nothing answers resolves to undefined; a failed lookup rejects
 * every caller of its turn.
 */
export function lookupsPerTurn<Key, Value>(
  lookupAll: (keys: Key[]) => Promise<readonly Value[]>,
  keyOf: (value: Value) => Key,
): LookupPerTurn<Key, Value> {
  let waiting: Waiting<Key, Value>[] | undefined;

  const answer = async (batch: Waiting<Key, Value>[]) => {
    try {
      const found = new Map<Key, Value>();
      for (const value of await lookupAll([...new Set(batch.map((entry) => entry.key))]))
        found.set(keyOf(value), value);
      for (const entry of batch) entry.resolve(found.get(entry.key));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  };

  const flush = () => {
    const batch = waiting!;
    waiting = undefined;
    void answer(batch);
  };

  return (key) =>
    new Promise<Value | undefined>((resolve, reject) => {
      if (waiting === undefined) {
        waiting = [];
        setImmediate(flush);
      }
      waiting.push({ key, resolve, reject });
    });
}

/**
 * A read without a key (every agent, say) asked for in one turn, read once after it: its callers
 * share the result. Started after the turn, never joined while in flight, so a caller sees every
 * write it awaited before asking. A failed read rejects the callers of its turn.
 */
export function readOncePerTurn<Value>(read: () => Promise<Value>): () => Promise<Value> {
  let shared: Promise<Value> | undefined;
  return () => {
    if (shared === undefined) {
      shared = new Promise<Value>((resolve, reject) => {
        setImmediate(() => {
          shared = undefined;
          read().then(resolve, reject);
        });
      });
    }
    return shared;
  };
}
