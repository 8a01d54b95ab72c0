/**
 * Writes an export (chat/privacy.ts's ExportArchive) as one ZIP stream: the JSON document first,
 * then each file read from the blob store only when the archive reaches it, so a large export
 * holds one file open at a time and nothing in memory beyond the JSON. The ZIP writer loads with
 * the first export, not at boot (loadOnce.ts).
 */
import { Readable } from "node:stream";
import type { Logger } from "pino";
import type { ExportArchive } from "../chat/privacy.js";
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";
import type { BlobStore } from "./blobStore.js";

const loadYazl = loadOnce(() => importPackage<typeof import("yazl")>("yazl"));

export async function zipArchive(
  archive: ExportArchive,
  blobs: BlobStore | undefined,
  logger: Logger,
): Promise<Readable> {
  const { ZipFile } = await loadYazl();
  const zip = new ZipFile();
  zip.addBuffer(Buffer.from(`${JSON.stringify(archive.json, null, 2)}\n`), archive.jsonName);
  for (const file of archive.files) {
    zip.addReadStreamLazy(file.path, (done) => {
      const opened = blobs === undefined ? Promise.resolve(undefined) : blobs.get(file.key);
      opened.then(
        (body) => {
          // A file gone from the store (a sweep in between) is an empty entry, not a broken archive.
          if (body === undefined) logger.warn({ key: file.key }, "an exported file is missing");
          done(null, body ?? Readable.from([]));
        },
        (error: unknown) =>
          done(error instanceof Error ? error : new Error(String(error)), Readable.from([])),
      );
    });
  }
  // yazl's stream is an old-style one: wrapped so the HTTP layer sees a modern Readable.
  const output = new Readable().wrap(zip.outputStream);
  // A file that cannot be read ends the download broken rather than silently short.
  zip.on("error", (error: Error) => output.destroy(error));
  zip.end();
  return output;
}
