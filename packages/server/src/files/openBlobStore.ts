/** Picks the blob store once, for server.ts: S3 when S3_BUCKET is set, else STORAGE_DIR/uploads. */
import { join } from "node:path";
import type { S3Config } from "../config.js";
import { makePrivateTreeSync } from "../privateStorage.js";
import type { BlobStore } from "./blobStore.js";
import { DiskBlobStore } from "./diskBlobStore.js";
import { S3BlobStore } from "./s3BlobStore.js";

export function openBlobStore(options: { storageDir: string; s3: S3Config | undefined }): BlobStore {
  if (options.s3 === undefined) {
    const root = join(options.storageDir, "uploads");
    // Owner-only, with the prefix folders an older version made open (privateStorage.ts).
    makePrivateTreeSync(root);
    return new DiskBlobStore(root);
  }
  const { bucket, region, endpoint, credentials, forcePathStyle } = options.s3;
  return new S3BlobStore({ bucket, region, endpoint, credentials, forcePathStyle });
}
