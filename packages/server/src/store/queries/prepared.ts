/**
 * Kysely builds a query as a tree of frozen nodes and compiles it to SQL on every call; for the
 * few queries on a chat message's path (find the conversation, insert, update) that was a
 * quarter of the server's CPU per message. A prepared query is built and compiled once, with
 * `slot(n)` standing where the call's n-th argument goes; each call only fills in the parameters.
 * The query stays written with the builder, so it keeps its types and works on both engines.
 */
import type { Compilable, CompiledQuery, Kysely } from "kysely";
import type { Database } from "../schema.js";

class Slot {
  constructor(readonly index: number) {}
}

/** A placeholder for the call's `index`-th argument, typed as whatever the builder expects. */
export function slot<T>(index: number): T {
  return new Slot(index) as unknown as T;
}

/** Runs on `db` or on a transaction: both execute compiled queries. */
type Executor = Pick<Kysely<Database>, "executeQuery">;

export function prepared<Row>(
  build: () => Compilable<Row>,
): (executor: Executor, ...args: unknown[]) => Promise<Row[]> {
  let compiled: CompiledQuery<Row> | undefined;
  return async (executor, ...args) => {
    compiled ??= build().compile();
    const parameters = compiled.parameters.map((value) =>
      value instanceof Slot ? args[value.index] : value,
    );
    const result = await executor.executeQuery<Row>({ ...compiled, parameters });
    return result.rows;
  };
}
