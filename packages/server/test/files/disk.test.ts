/** The attachment suite with files in STORAGE_DIR/uploads: on SQLite, and on Postgres when configured. */
import { after, it } from "node:test";
import { POSTGRES_SKIP, postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { ageInPostgres, ageInSqlite, countDiskBlobs } from "./blobCounts.js";
import { uploadSuite } from "./uploadSuite.js";

uploadSuite("disk, SQLite", async () => ({ env: {}, countBlobs: countDiskBlobs, age: ageInSqlite }));

const database: PostgresSchema | undefined = await postgresSchema();
if (database === undefined) {
  it("attachments on disk, Postgres", { skip: POSTGRES_SKIP }, () => {});
} else {
  after(() => database.drop());
  uploadSuite("disk, Postgres", async () => ({
    env: { DATABASE_URL: database.url },
    countBlobs: countDiskBlobs,
    age: ageInPostgres(database.url),
  }));
}
