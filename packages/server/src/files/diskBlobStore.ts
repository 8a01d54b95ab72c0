/**
 * Blobs as files under one folder (STORAGE_DIR/uploads by default). A put writes a temporary
 * file beside the target and renames it into place, so readers see all of a blob or none.
 */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../privateStorage.js";
import { checkBlobKey, type BlobInfo, type BlobStore } from "./blobStore.js";

export class DiskBlobStore implements BlobStore {
  readonly kind = "disk";

  constructor(private readonly root: string) {}

  async put(key: string, body: Buffer | Readable, _info: BlobInfo): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
    const partial = `${path}.${randomBytes(6).toString("hex")}.partial`;
    try {
      const source = Buffer.isBuffer(body) ? Readable.from([body]) : body;
      await pipeline(source, createWriteStream(partial, { flags: "wx", mode: PRIVATE_FILE_MODE }));
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable | undefined> {
    // Opened before it is streamed, so a missing file is an answer here and not a stream error.
    const handle = await open(this.pathOf(key), "r").catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") return undefined;
      throw error;
    });
    return handle?.createReadStream();
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => rm(this.pathOf(key), { force: true })));
  }

  async close(): Promise<void> {}

  private pathOf(key: string): string {
    checkBlobKey(key);
    return join(this.root, key);
  }
}
