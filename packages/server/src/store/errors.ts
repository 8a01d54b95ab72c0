/**
 * Errors the store reports in terms of the domain, so chat/ and http/ never inspect a driver's
 * error codes (which differ between better-sqlite3 and pg).
 */
import type { HeldUploads } from "./store.js";

/** A value that must be unique already exists (e.g. an agent's username). */
export class UniqueViolationError extends Error {
  constructor(what: string, options: { cause: unknown }) {
    super(`${what} already exists`, options);
    this.name = "UniqueViolationError";
  }
}

/** better-sqlite3 reports SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY; pg reports SQLSTATE 23505. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error) || !("code" in error)) return false;
  const { code } = error;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/** Storing an upload would take its address past what it may hold unattached. */
export class UploadQuotaExceededError extends Error {
  constructor(readonly held: HeldUploads) {
    super("the address holds too many bytes of unattached uploads");
    this.name = "UploadQuotaExceededError";
  }
}

/** An upload named in a new message is missing, attached already, too old or someone else's. */
export class AttachmentsUnavailableError extends Error {
  constructor() {
    super("an attachment is not available to this message");
    this.name = "AttachmentsUnavailableError";
  }
}

/**
 * The disk (or quota) under the database or the storage folder is full: SQLite's SQLITE_FULL,
 * Node's ENOSPC / EDQUOT from a file write, Postgres's SQLSTATE 53100 (disk_full). Nothing was
 * written; the same request can succeed once space returns, so callers answer "try again later"
 * rather than "something went wrong".
 */
export function isStorageFull(error: unknown): boolean {
  if (!(error instanceof Error) || !("code" in error)) return false;
  const { code } = error;
  return code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT" || code === "53100";
}

/** What a client is told when a write failed for want of space (chat action or REST call). */
export const STORAGE_FULL_MESSAGE = "The server is out of storage space, please try again later";

/** Node's socket errors when the database host is away, refused or cut. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
/** pg's own words for a connection that died under it (it sets no code on these). */
const CONNECTION_MESSAGES = [
  "Connection terminated",
  "Client has encountered a connection error",
  "timeout exceeded when trying to connect",
];

/**
 * The database cannot be reached (Postgres down, restarting, or the network to it cut): a socket
 * error, SQLSTATE class 08 (connection exception) or 57P01-57P03 (shutting down, cannot connect
 * now). Nothing was written; the same request can succeed once it is back.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = "code" in error && typeof error.code === "string" ? error.code : undefined;
  if (code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith("08") || /^57P0[123]$/.test(code)))
    return true;
  return CONNECTION_MESSAGES.some((text) => error.message.startsWith(text));
}

/** What a client is told when the database could not be reached (chat action or REST call). */
export const DATABASE_UNREACHABLE_MESSAGE = "The server cannot reach its database, please try again later";
