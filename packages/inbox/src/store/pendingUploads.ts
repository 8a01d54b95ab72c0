/**
 * The agent's files on their way into a message (protocol §9): each pick, paste or drop becomes
 * pending messages of up to MAX_ATTACHMENTS files, shown at once; their files upload one after
 * another with progress, and each message is sent (the store's usual send, same client_id flow)
 * once its files are on the server. A file the server refuses (too large, not allowed, empty) is
 * left out with a notice; a network failure leaves the message failed, and Retry uploads what is
 * left, keeping what already arrived.
 */
import { MAX_ATTACHMENTS } from "@parley/protocol";
import { ApiError, messageOf } from "../api/http.js";
import { REFUSED_STATUSES, uploadFile } from "../api/upload.js";
import { newClientId } from "../state/ids.js";
import {
  addPending,
  findPending,
  removePending,
  updatePending,
  type PendingMessage,
  type Thread,
} from "../state/thread.js";

export interface UploadHost {
  thread(conversationId: number): Thread;
  setThread(conversationId: number, thread: Thread): void;
  notify(text: string): void;
  /** The files are uploaded: send the pending message. */
  send(conversationId: number, clientId: string): void;
  stopped(): boolean;
}

export class PendingUploads {
  /** Files not uploaded yet, by the client_id of their message. */
  readonly #files = new Map<string, File[]>();
  readonly #host: UploadHost;

  constructor(host: UploadHost) {
    this.#host = host;
  }

  attach(conversationId: number, files: readonly File[]): void {
    for (let start = 0; start < files.length; start += MAX_ATTACHMENTS) {
      const group = files.slice(start, start + MAX_ATTACHMENTS);
      const clientId = newClientId();
      this.#files.set(clientId, group);
      const pending: PendingMessage = {
        client_id: clientId,
        content: "",
        created_at: new Date().toISOString(),
        state: "uploading",
        error: null,
        files: group.map((file) => ({ name: file.name, type: file.type, size: file.size })),
        attachments: [],
        progress: 0,
      };
      this.#host.setThread(conversationId, addPending(this.#host.thread(conversationId), pending));
      void this.#upload(conversationId, clientId);
    }
  }

  /** A failed message with files still to upload: Retry uploads them (true), else the store resends. */
  retry(conversationId: number, clientId: string): boolean {
    if (!this.#files.get(clientId)?.length) return false;
    this.#change(conversationId, clientId, (p) => ({ ...p, state: "uploading", error: null }));
    void this.#upload(conversationId, clientId);
    return true;
  }

  async #upload(conversationId: number, clientId: string): Promise<void> {
    const files = this.#files.get(clientId) ?? [];
    const refused: string[] = [];
    for (let file = files[0]; file !== undefined; file = files[0]) {
      const left = files.length;
      try {
        const attachment = await uploadFile(file, (fraction) =>
          this.#change(conversationId, clientId, (p) => ({ ...p, progress: progressOf(p, left, fraction) })),
        );
        this.#change(conversationId, clientId, (p) => ({
          ...p,
          attachments: [...(p.attachments ?? []), attachment],
        }));
      } catch (error) {
        if (!(error instanceof ApiError && REFUSED_STATUSES.has(error.status))) {
          this.#change(conversationId, clientId, (p) => ({ ...p, state: "failed", error: messageOf(error) }));
          this.#notifyRefused(refused);
          return;
        }
        refused.push(`“${file.name}”: ${error.message}`);
      }
      files.shift();
      this.#change(conversationId, clientId, (p) => ({ ...p, files: p.files?.slice(1) }));
    }
    this.#files.delete(clientId);
    this.#notifyRefused(refused);
    const pending = findPending(this.#host.thread(conversationId), clientId);
    if (pending?.attachments?.length) {
      this.#change(conversationId, clientId, (p) => ({ ...p, state: "sending", progress: 1 }));
      this.#host.send(conversationId, clientId);
    } else {
      // Every file was refused: nothing to send, and the notice says why.
      this.#host.setThread(conversationId, removePending(this.#host.thread(conversationId), clientId));
    }
  }

  #notifyRefused(refused: string[]): void {
    if (refused.length > 0) this.#host.notify(`Not sent: ${refused.join("; ")}`);
  }

  #change(
    conversationId: number,
    clientId: string,
    change: (pending: PendingMessage) => PendingMessage,
  ): void {
    if (this.#host.stopped()) return;
    this.#host.setThread(conversationId, updatePending(this.#host.thread(conversationId), clientId, change));
  }
}

/** Overall progress: files done count whole, the one on its way by its fraction. */
function progressOf(pending: PendingMessage, left: number, fraction: number): number {
  const total = (pending.attachments?.length ?? 0) + left;
  return total === 0 ? 1 : ((pending.attachments?.length ?? 0) + fraction) / total;
}
