/**
 * Prepared queries (store/queries/prepared.ts): built once, each call fills its named parameters
 * in wherever the builder placed them. What does not compile is checked in prepared.types.ts.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteDialect,
  type CompiledQuery,
  type Generated,
} from "kysely";
import { prepared, preparedInList, type Executor } from "../../src/store/queries/prepared.js";

interface NotesDatabase {
  notes: {
    id: Generated<number>;
    author: string;
    body: string | null;
    created_at: string;
    updated_at: string;
  };
}
type NewNote = { author: string; body: string | null; at: string };

const insertNote = (db: Kysely<NotesDatabase>) =>
  prepared<NewNote>()((p) =>
    db
      .insertInto("notes")
      .values({ author: p.author, body: p.body, created_at: p.at, updated_at: p.at })
      .returningAll(),
  );

describe("prepared queries", () => {
  const sqlite = new Kysely<NotesDatabase>({
    dialect: new SqliteDialect({ database: new Database(":memory:") }),
  });
  before(async () => {
    await sqlite.schema
      .createTable("notes")
      .addColumn("id", "integer", (column) => column.primaryKey().autoIncrement())
      .addColumn("author", "text", (column) => column.notNull())
      .addColumn("body", "text")
      .addColumn("created_at", "text", (column) => column.notNull())
      .addColumn("updated_at", "text", (column) => column.notNull())
      .execute();
  });
  after(() => sqlite.destroy());

  it("fills a parameter into every place it is used, and a null one as NULL", async () => {
    const insert = insertNote(sqlite);
    const [row] = await insert(sqlite, { author: "Ann", body: null, at: "2024-01-01T00:00:00.000Z" });
    assert.deepEqual(
      { ...row, id: undefined },
      {
        id: undefined,
        author: "Ann",
        body: null,
        created_at: "2024-01-01T00:00:00.000Z",
        updated_at: "2024-01-01T00:00:00.000Z",
      },
    );
    const stored = await sqlite
      .selectFrom("notes")
      .selectAll()
      .where("id", "=", row!.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(stored, row);
  });

  it("builds and compiles once, each call with its own parameters, constants kept", async () => {
    let builds = 0;
    const byAuthor = prepared<{ author: string; since: string }>()((p) => {
      builds++;
      return sqlite
        .selectFrom("notes")
        .select(["author", "body"])
        .where("author", "=", p.author)
        .where("created_at", ">=", p.since)
        .where("body", "!=", "draft")
        .orderBy("id");
    });
    const insert = insertNote(sqlite);
    await insert(sqlite, { author: "Bea", body: "draft", at: "2024-02-01T00:00:00.000Z" });
    await insert(sqlite, { author: "Bea", body: "first", at: "2024-02-02T00:00:00.000Z" });
    await insert(sqlite, { author: "Cem", body: "second", at: "2024-02-03T00:00:00.000Z" });

    assert.deepEqual(await byAuthor(sqlite, { author: "Bea", since: "2024-01-01" }), [
      { author: "Bea", body: "first" },
    ]);
    assert.deepEqual(await byAuthor(sqlite, { author: "Cem", since: "2024-01-01" }), [
      { author: "Cem", body: "second" },
    ]);
    assert.deepEqual(await byAuthor(sqlite, { author: "Cem", since: "2024-03-01" }), []);
    assert.equal(builds, 1);
  });

  it("runs inside a transaction it is given", async () => {
    const insert = insertNote(sqlite);
    await assert.rejects(
      sqlite.transaction().execute(async (trx) => {
        await insert(trx, { author: "Dan", body: "rolled back", at: "2024-04-01T00:00:00.000Z" });
        throw new Error("roll back");
      }),
      /roll back/,
    );
    const left = await sqlite.selectFrom("notes").select("id").where("author", "=", "Dan").execute();
    assert.deepEqual(left, []);
  });

  it("numbers Postgres' placeholders per use, filling a twice-used parameter into both", async () => {
    const postgres = new Kysely<NotesDatabase>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new PostgresIntrospector(db),
        createQueryCompiler: () => new PostgresQueryCompiler(),
      },
    });
    const sent: CompiledQuery[] = [];
    const recording: Executor = {
      executeQuery: async (query) => {
        sent.push(query);
        return { rows: [] };
      },
    };
    await insertNote(postgres)(recording, { author: "Eve", body: null, at: "2024-05-01T00:00:00.000Z" });
    assert.equal(sent.length, 1);
    assert.equal(
      sent[0]!.sql,
      'insert into "notes" ("author", "body", "created_at", "updated_at") values ($1, $2, $3, $4) returning *',
    );
    assert.deepEqual(sent[0]!.parameters, [
      "Eve",
      null,
      "2024-05-01T00:00:00.000Z",
      "2024-05-01T00:00:00.000Z",
    ]);
    await postgres.destroy();
  });

  it("refuses a call that leaves a parameter it uses without a value", async () => {
    const insert = insertNote(sqlite) as (executor: Executor, params: object) => Promise<unknown[]>;
    await assert.rejects(insert(sqlite, { author: "Fay", at: "2024-06-01T00:00:00.000Z" }), {
      name: "TypeError",
      message: 'prepared query: no value for parameter "body"',
    });
  });

  it("prepares an `in` list once per power-of-two length, its rows once each however padded", async () => {
    const insert = insertNote(sqlite);
    for (const author of ["Gus", "Hal", "Ida", "Jo", "Kai"])
      await insert(sqlite, { author, body: "in list", at: "2024-07-01T00:00:00.000Z" });
    let builds = 0;
    const byAuthors = preparedInList<string>()((authors) => {
      builds++;
      return sqlite.selectFrom("notes").select("author").where("author", "in", authors).orderBy("author");
    });
    const authorsOf = async (authors: string[]) =>
      (await byAuthors(sqlite, authors)).map((row) => row.author);

    assert.deepEqual(await authorsOf(["Hal", "Gus", "Ida"]), ["Gus", "Hal", "Ida"]);
    assert.deepEqual(await authorsOf(["Kai", "Jo", "Nobody", "Gus"]), ["Gus", "Jo", "Kai"]);
    assert.equal(builds, 1, "three and four values share the shape of four");
    assert.deepEqual(await authorsOf(["Jo", "Jo", "Ida", "Hal", "Gus"]), ["Gus", "Hal", "Ida", "Jo"]);
    assert.deepEqual(await authorsOf(["Kai"]), ["Kai"]);
    assert.equal(builds, 3, "five values take the shape of eight, one the shape of one");
    assert.deepEqual(await authorsOf([]), []);
    assert.equal(builds, 3, "an empty list asks nothing");
  });
});
