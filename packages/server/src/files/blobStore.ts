/**
 * Where uploaded files' bytes live: one interface, two implementations side by side (a folder
 * on disk, an S3-compatible bucket), chosen once in server.ts (openBlobStore.ts). The database
 * holds what a file is; a blob store holds only bytes under opaque keys.
 *
 * Contract for every implementation:
 * - Keys are made by the caller from `[a-z0-9/._-]`, never from user input; an implementation
 *   refuses anything else.
 * - `put` is all or nothing: a reader never sees a partial blob, and a failed put leaves none.
 * - `get` of a missing key resolves to undefined (not an error): rows may outlive their blobs.
 * - `delete` is idempotent: deleting a missing key succeeds, so two nodes sweeping the same
 *   rows do no harm.
 */
import type { Readable } from "node:stream";

export interface BlobInfo {
  contentType: string;
  byteSize: number;
}

export interface BlobStore {
  /** "disk" or "s3", for logs. */
  readonly kind: string;
  put(key: string, body: Buffer | Readable, info: BlobInfo): Promise<void>;
  get(key: string): Promise<Readable | undefined>;
  delete(keys: string[]): Promise<void>;
  close(): Promise<void>;
}

const KEY_PATTERN = /^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)*$/;

/** Throws on a key outside the contract (a bug, never user input). */
export function checkBlobKey(key: string): void {
  if (!KEY_PATTERN.test(key) || key.includes("..") || key.length > 200) {
    throw new Error(`invalid blob key: ${JSON.stringify(key).slice(0, 80)}`);
  }
}
