/**
 * Kysely builds a query as a tree of frozen nodes and compiles it to SQL on every call; for the
 * few queries on a chat message's path (find the conversation, insert, update) that was a
 * quarter of the server's CPU per message. A prepared query is built and compiled once, with a
 * placeholder standing where each named parameter goes; each call only fills in the parameters.
 * The query stays written with the builder, so it keeps its types and works on both engines.
 *
 *   const insert = prepared<{ conversationId: number; content: string }>()((p) =>
 *     db.insertInto("messages").values({ conversation_id: p.conversationId, content: p.content }),
 *   );
 *   await insert(trx, { conversationId: 7, content: "hi" });
 *
 * Parameters are named, not positional, so two swapped arguments cannot silently land in each
 * other's columns: a call must give every parameter, with its type, and an object literal with
 * a name the query does not declare does not compile either. (An existing object with more
 * properties, such as a store method's input, may be passed whole: only the declared are read.)
 *
 * A placeholder stands for one SQL value (a bound parameter): it cannot be a list (`in`), a
 * column name or a piece of SQL, and anything that changes the query's shape needs a query of
 * its own (see the conversation toucher in messages.ts).
 */
import type { Compilable, CompiledQuery, QueryResult } from "kysely";

/** Where the call's parameter `name` goes, found again in the compiled query's parameters. */
class Placeholder {
  constructor(readonly name: string) {}
}

/**
 * What `build` receives: `p.name` is the placeholder of parameter `name`, typed as that
 * parameter so the builder checks it against the column it is compared with or written to.
 */
export type Placeholders<Params> = { readonly [Name in keyof Params]-?: Params[Name] };

/** Runs on `db` or on a transaction: both execute compiled queries. */
export interface Executor {
  executeQuery<Row>(query: CompiledQuery<Row>): Promise<QueryResult<Row>>;
}

export type PreparedQuery<Params, Row> = (executor: Executor, params: Params) => Promise<Row[]>;

/**
 * Every parameter must have a value SQL can bind, and `undefined` is none (Kysely leaves an
 * undefined column out of an insert while building, so it cannot mean anything at call time
 * either): a parameter that is optional, or may be undefined, is refused. Null is a value.
 */
type Bindable<Params> = { [Name in keyof Params]-?: undefined extends Params[Name] ? never : Params[Name] };

// One stateless object serves every build: reading a name gives that name's placeholder.
const placeholders = new Proxy(
  {},
  { get: (_target, name) => (typeof name === "string" ? new Placeholder(name) : undefined) },
);

/**
 * `prepared<Params>()(build)`: the parameters' names and types are given, the rows' type is
 * inferred from what `build` returns. `build` runs once, at the first call.
 */
export function prepared<Params extends Bindable<Params>>() {
  return <Row>(build: (p: Placeholders<Params>) => Compilable<Row>): PreparedQuery<Params, Row> => {
    const bind = binder(build);
    return async (executor, params) => (await executor.executeQuery<Row>(bind(params))).rows;
  };
}

/**
 * Runs compiled queries at once, without a promise: SQLite's connection, held by the caller for
 * the whole transaction (the synchronous append, sqliteAppend.ts).
 */
export interface SyncExecutor {
  run<Row>(query: CompiledQuery<Row>): Row[];
}

export type PreparedSyncQuery<Params, Row> = (executor: SyncExecutor, params: Params) => Row[];

/** `prepared`, for a SyncExecutor: the same query, built and compiled once, run synchronously. */
export function preparedSync<Params extends Bindable<Params>>() {
  return <Row>(build: (p: Placeholders<Params>) => Compilable<Row>): PreparedSyncQuery<Params, Row> => {
    const bind = binder(build);
    return (executor, params) => executor.run<Row>(bind(params));
  };
}

/** Compiles `build` at the first call; each call gives the compiled query with its values in. */
function binder<Params, Row>(
  build: (p: Placeholders<Params>) => Compilable<Row>,
): (params: Params) => CompiledQuery<Row> {
  let compiled: CompiledQuery<Row> | undefined;
  return (params) => {
    compiled ??= build(placeholders as Placeholders<Params>).compile();
    const parameters = compiled.parameters.map((value) =>
      value instanceof Placeholder ? valueOf(params as object, value.name) : value,
    );
    return { ...compiled, parameters };
  };
}

/** Types stop a missing value at compile time; this stops one that got past them (a cast). */
function valueOf(params: object, name: string): unknown {
  const value = (params as Record<string, unknown>)[name];
  if (value === undefined) throw new TypeError(`prepared query: no value for parameter "${name}"`);
  return value;
}

/**
 * A query whose one varying part is an `in (…)` list: `build` gets the list's placeholders. It is
 * prepared once per length rounded up to a power of two (at most a dozen shapes for lists of
 * hundreds), the list padded with its last value, which `in` does not count twice.
 */
export function preparedInList<Value extends string | number>() {
  return <Row>(build: (list: Value[]) => Compilable<Row>) => {
    const bySize = new Map<number, (params: Record<string, Value>) => CompiledQuery<Row>>();
    return async (executor: Executor, values: readonly Value[]): Promise<Row[]> => {
      if (values.length === 0) return [];
      let size = 1;
      while (size < values.length) size *= 2;
      let bind = bySize.get(size);
      if (bind === undefined) {
        const names = Array.from({ length: size }, (_, i) => `v${i}`);
        bind = binder<Record<string, Value>, Row>((p) => build(names.map((name) => p[name] as Value)));
        bySize.set(size, bind);
      }
      const params: Record<string, Value> = {};
      for (let i = 0; i < size; i++) params[`v${i}`] = values[Math.min(i, values.length - 1)] as Value;
      return (await executor.executeQuery<Row>(bind(params))).rows;
    };
  };
}
