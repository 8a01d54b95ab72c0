/** Export and erasure with files on disk, on SQLite and (with TEST_DATABASE_URL) Postgres. */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import type { PrivacyWorld } from "./harness.js";
import { privacySuite } from "./suite.js";

const onDisk = async (world: PrivacyWorld, key: string) =>
  Promise.resolve(existsSync(join(world.server.storageDir, "uploads", key)));

privacySuite("SQLite, disk", async () => Promise.resolve({ env: {}, blobExists: onDisk }));

const schema = await postgresSchema();
privacySuite(
  "Postgres, disk",
  async () =>
    Promise.resolve(
      schema && { env: { DATABASE_URL: schema.url }, blobExists: onDisk, drop: () => schema.drop() },
    ),
  schema === undefined ? POSTGRES_SKIP : undefined,
);
