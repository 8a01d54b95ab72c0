/** The store's public surface: the interface, the factory main.ts calls, and the backup. */
export type * from "./store.js";
export { openStore, type OpenStoreOptions } from "./openStore.js";
export { backupSqlite } from "./backup.js";
export { SQLITE_FILE_NAME, sqlitePath } from "./sqliteDatabase.js";
export { UniqueViolationError } from "./errors.js";
export type { StoreLogger } from "./logger.js";
export { copySqliteToPostgres, type CopyProgress, type CopyResult } from "./copyToPostgres.js";
