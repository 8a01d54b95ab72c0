/**
 * Agents' photos (protocol §14). An upload is made into a square WebP (files/avatarImage.ts),
 * stored in the blob store under `avatars/<agent id>-<hash>.webp`, and named on the agent's row;
 * the URL `/avatars/<that name>` is public and immutable (a new picture has a new name). The
 * picture it replaces, a removed photo and a removed agent's photo are deleted from the blob
 * store at once. The blob store and the image pipeline are handed in: chat/ only decides.
 */
import type { Readable } from "node:stream";
import { AVATARS_PREFIX } from "@parley/protocol";
import type { AvatarProcessor, AvatarRefusal } from "../files/avatarImage.js";
import type { BlobStore } from "../files/blobStore.js";
import type { StoredAgent } from "../store/store.js";
import type { ChatContext } from "./context.js";
import { ChatError, invalid, notFound, TooManyError } from "./errors.js";

/** An avatar's name: the agent's id, 16 hex digits of the picture's SHA-256, `.webp`. */
export const AVATAR_FILE = /^[1-9]\d{0,15}-[0-9a-f]{16}\.webp$/;

/** The public URL of a photo; null for none. */
export function avatarUrl(file: string | null): string | null {
  return file === null ? null : `${AVATARS_PREFIX}${file}`;
}

function blobKey(file: string): string {
  return `avatars/${file}`;
}

export interface AvatarFiles {
  blobs: BlobStore;
  process: AvatarProcessor;
}

const REFUSALS: Record<AvatarRefusal, () => ChatError> = {
  not_image: () => invalid("The file is not an image that can be read"),
  unsupported: () => new ChatError("unsupported", "A photo must be PNG, JPEG, WebP or GIF"),
};

const notEnabled = (): ChatError => new ChatError("unsupported", "Photos are not enabled on this server");

export class Avatars {
  constructor(
    private readonly chat: ChatContext,
    /** Absent where no files are served (the CLI): photos are refused. */
    private readonly files: AvatarFiles | undefined,
    /** Told after an agent's photo changed (widgets' configs show it). */
    private readonly changed: () => Promise<void>,
  ) {}

  /** Asked before an upload's body is read: AVATAR_UPLOADS per agent; throws TooManyError. */
  async admit(agentId: number): Promise<void> {
    const result = await this.chat.limits.avatars.take(String(agentId));
    if (!result.ok) throw new TooManyError("Too many photo uploads, try again later", result.retryAfterMs);
  }

  /** Makes the upload at `path` the agent's photo; the one it replaces is deleted. */
  async set(agentId: number, path: string): Promise<StoredAgent> {
    const files = this.requireFiles();
    const processed = await files.process(path);
    if (!processed.ok) {
      if (processed.cause !== undefined) {
        this.chat.logger.info({ err: processed.cause, refusal: processed.refusal }, "photo refused");
      }
      throw REFUSALS[processed.refusal]();
    }
    const before = await this.chat.store.getAgent(agentId);
    if (before === undefined) throw notFound("Agent");
    const file = `${agentId}-${processed.hash}.webp`;
    await files.blobs.put(blobKey(file), processed.webp, {
      contentType: "image/webp",
      byteSize: processed.webp.length,
    });
    const updated = await this.chat.store.updateAgent(agentId, { avatarFile: file });
    if (updated === undefined) {
      // Removed meanwhile: their photo goes with them.
      await this.discard(file);
      throw notFound("Agent");
    }
    if (before.avatarFile !== file) await this.discard(before.avatarFile);
    await this.changed();
    return updated;
  }

  /** Removes the agent's photo (nothing to remove is no error). */
  async remove(agentId: number): Promise<StoredAgent> {
    const before = await this.chat.store.getAgent(agentId);
    if (before === undefined) throw notFound("Agent");
    if (before.avatarFile === null) return before;
    const updated = await this.chat.store.updateAgent(agentId, { avatarFile: null });
    if (updated === undefined) throw notFound("Agent");
    await this.discard(before.avatarFile);
    await this.changed();
    return updated;
  }

  /** Deletes a photo's blob (a removed agent's, a replaced one); a failure is logged, not thrown. */
  async discard(file: string | null): Promise<void> {
    if (file === null || this.files === undefined || !AVATAR_FILE.test(file)) return;
    await this.files.blobs.delete([blobKey(file)]).catch((error: unknown) => {
      this.chat.logger.error({ err: error, file }, "deleting a photo failed");
    });
  }

  /** The photo's bytes; undefined for a name that is not one, or a photo that is gone. */
  async open(file: string): Promise<Readable | undefined> {
    if (this.files === undefined || !AVATAR_FILE.test(file)) return undefined;
    return this.files.blobs.get(blobKey(file));
  }

  private requireFiles(): AvatarFiles {
    if (this.files === undefined) throw notEnabled();
    return this.files;
  }
}
