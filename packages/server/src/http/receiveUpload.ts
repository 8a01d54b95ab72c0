/**
 * The body of `POST /uploads`: one multipart field `file`, written to a temporary file as it
 * arrives. The size limit is enforced while streaming (busboy stops writing at the limit and
 * discards the rest), so an oversized upload never takes more than the limit on disk or any
 * of it in memory.
 */
import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import { ChatError } from "../chat/errors.js";
import type { UploadCandidate } from "../files/inspectUpload.js";
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from "../privateStorage.js";

export const UPLOAD_FIELD = "file";

export type Received =
  | { kind: "file"; candidate: UploadCandidate; discard: () => Promise<void> }
  | { kind: "too_large" }
  | { kind: "missing" };

export async function receiveUpload(
  request: FastifyRequest,
  options: { maxBytes: number; tempDir: string },
): Promise<Received> {
  const part = await request
    .file({
      limits: {
        fileSize: options.maxBytes,
        files: 1,
        fields: 8,
        fieldSize: 1024,
        parts: 10,
        headerPairs: 50,
      },
      throwFileSizeLimit: false,
    })
    .catch(asMalformed);
  if (part === undefined) return { kind: "missing" };
  if (part.fieldname !== UPLOAD_FIELD) {
    part.file.resume();
    return { kind: "missing" };
  }
  await mkdir(options.tempDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const path = join(options.tempDir, `${randomUUID()}.upload`);
  const discard = () => rm(path, { force: true });
  let byteSize = 0;
  part.file.on("data", (chunk: Buffer) => {
    byteSize += chunk.length;
  });
  try {
    await pipeline(part.file, createWriteStream(path, { flags: "wx", mode: PRIVATE_FILE_MODE }));
  } catch (error) {
    await discard();
    asMalformed(error);
  }
  if (part.file.truncated) {
    await discard();
    return { kind: "too_large" };
  }
  return {
    kind: "file",
    candidate: { path, byteSize, filename: part.filename, claimedType: part.mimetype },
    discard,
  };
}

/**
 * A body the multipart parser gives up on (cut short, no boundary, broken part headers) is the
 * client's fault: 400, not the 500 of an unknown error. The parser's errors carry neither an
 * HTTP status (@fastify/multipart's own limits do, and keep theirs) nor a system call (the disk's
 * errors do, and stay 500s).
 */
function asMalformed(error: unknown): never {
  const known = error as { statusCode?: unknown; syscall?: unknown };
  if (error instanceof Error && known.statusCode === undefined && known.syscall === undefined) {
    throw new ChatError("invalid", `Malformed multipart body: ${error.message}`);
  }
  throw error;
}
