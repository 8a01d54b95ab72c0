/**
 * Operators' commands, run against the same storage as the server:
 *   parley migrate                      bring the database schema up to date
 *   parley agent add <username> [--name "Full Name"] [--role owner|agent] [--password <pw>]
 *   parley agent list
 *   parley agent remove <username>
 *   parley agent passwd <username> [--password <pw>]
 *   parley backup <file>                consistent copy of a live SQLite database
 *   parley copy-to-postgres <url>       copies the SQLite database into an empty Postgres one
 * A password left out is generated and printed once.
 */
import "./refuseOldNode.js"; // first: before any dependency loads
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import pino from "pino";
import { Chat } from "./chat/chat.js";
import { ChatError } from "./chat/errors.js";
import { MemoryBroker } from "./broker/memoryBroker.js";
import { ConfigError, loadConfig } from "./config.js";
import { processAvatar } from "./files/avatarImage.js";
import type { BlobStore } from "./files/blobStore.js";
import { openBlobStore } from "./files/openBlobStore.js";
import {
  backupSqlite,
  copySqliteToPostgres,
  openStore,
  sqlitePath,
  type CopyProgress,
  type Store,
} from "./store/index.js";

const USAGE = `usage:
  parley migrate
  parley agent add <username> [--name "Full Name"] [--role owner|agent] [--password <pw>]
  parley agent list
  parley agent remove <username>
  parley agent passwd <username> [--password <pw>]
  parley backup <file>
  parley copy-to-postgres <postgres://…>`;

class UsageError extends Error {}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** `files`: the blob store is opened too (a removed agent's photo is deleted with them). */
async function withStore<T>(
  run: (store: Store, chat: Chat) => Promise<T>,
  options: { files?: boolean } = {},
): Promise<T> {
  const config = loadConfig(process.env);
  const logger = pino({ level: "warn" });
  const store = await openStore({ databaseUrl: config.databaseUrl, storageDir: config.storageDir, logger });
  let blobs: BlobStore | undefined;
  try {
    if (options.files === true) blobs = openBlobStore({ storageDir: config.storageDir, s3: config.s3 });
    await store.migrate();
    const chat = new Chat({
      store,
      broker: new MemoryBroker(logger),
      logger,
      rateLimitPerMinute: config.rateLimitPerMinute,
      newConversationsPerIpPerHour: config.newConversationsPerIpPerHour,
      uploadsPerIpPerHour: config.uploadsPerIpPerHour,
      uploadBytesPerIp: config.uploadBytesPerIp,
      ...(blobs === undefined ? {} : { avatarFiles: { blobs, process: processAvatar } }),
    });
    // No sockets here, so nothing listens to chat.sessions.ended: running servers find the ended
    // sessions gone from the store within a second (chat/sessionWatch.ts) and close their sockets.
    return await run(store, chat);
  } finally {
    await blobs?.close();
    await store.close();
  }
}

async function agentCommand(sub: string | undefined, args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { name: { type: "string" }, role: { type: "string" }, password: { type: "string" } },
  });
  const username = positionals[0];
  const generated = values.password === undefined ? randomBytes(12).toString("base64url") : undefined;
  const password = values.password ?? generated;
  const needUser = (): string => {
    if (username === undefined) throw new UsageError("a username is needed");
    return username;
  };
  const findAgent = async (chat: Chat) => {
    const agent = await chat.team.findByUsername(needUser());
    if (agent === undefined) throw new ChatError("not_found", `No agent named ${needUser()}`);
    return agent;
  };
  switch (sub) {
    case "add":
      return withStore(async (_store, chat) => {
        const agent = await chat.team.add({
          username: needUser(),
          password,
          ...(values.name === undefined ? {} : { name: values.name }),
          ...(values.role === undefined ? {} : { role: values.role }),
        });
        print(`added ${agent.role} ${agent.username} (id ${agent.id})`);
        if (generated !== undefined) print(`password: ${generated}`);
      });
    case "list":
      return withStore(async (_store, chat) => {
        for (const agent of await chat.team.list()) {
          print(`${agent.id}\t${agent.username}\t${agent.role}\t${agent.name}\t${agent.createdAt}`);
        }
      });
    case "remove":
      return withStore(
        async (_store, chat) => {
          const agent = await findAgent(chat);
          await chat.team.remove(agent.id);
          print(`removed ${agent.username}`);
        },
        { files: true },
      );
    case "passwd":
      return withStore(async (_store, chat) => {
        const agent = await findAgent(chat);
        await chat.team.setPassword(agent.id, password);
        print(`password changed for ${agent.username}; their sessions are ended`);
        if (generated !== undefined) print(`password: ${generated}`);
      });
    default:
      throw new UsageError(`unknown agent command: ${sub ?? "(none)"}`);
  }
}

/** One line redrawn in place: `messages [########------------]  4000/10000`. */
function progressBar({ table, copied, total }: CopyProgress): void {
  const width = 24;
  const filled = total === 0 ? width : Math.round((copied / total) * width);
  const bar = `${"#".repeat(filled)}${"-".repeat(width - filled)}`;
  process.stderr.write(`\r${table.padEnd(20)} [${bar}] ${String(copied).padStart(8)}/${total}`);
  if (copied === total) process.stderr.write("\n");
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "migrate":
      await withStore(async () => print("database is up to date"));
      return;
    case "agent":
      return agentCommand(rest[0], rest.slice(1));
    case "backup": {
      const target = rest[0];
      if (target === undefined) throw new UsageError("a target file is needed");
      const config = loadConfig(process.env);
      if (config.databaseUrl !== undefined) {
        throw new UsageError("backup copies the SQLite database; for Postgres use pg_dump");
      }
      await backupSqlite(sqlitePath(config.storageDir), target);
      print(`backup written to ${target}`);
      return;
    }
    case "copy-to-postgres": {
      const target = rest[0];
      if (target === undefined || !/^postgres(ql)?:\/\//.test(target)) {
        throw new UsageError("a postgres:// URL of an empty database is needed");
      }
      const config = loadConfig(process.env);
      const result = await copySqliteToPostgres(sqlitePath(config.storageDir), target, progressBar);
      process.stderr.write("\n");
      for (const { table, rows } of result.tables) print(`${table}: ${rows} rows copied, counts match`);
      print("done: set DATABASE_URL to the Postgres URL and restart");
      return;
    }
    case undefined:
    case "help":
    case "--help":
      print(USAGE);
      return;
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) process.stderr.write(`${error.message}\n${USAGE}\n`);
  else if (error instanceof ConfigError || error instanceof ChatError || error instanceof Error) {
    process.stderr.write(`parley: ${error.message}\n`);
  } else process.stderr.write(`parley: ${String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 64 : 1;
});
