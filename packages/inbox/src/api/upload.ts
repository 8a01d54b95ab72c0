/**
 * One file to `POST /uploads` (protocol §9) with the agent's session cookie. XMLHttpRequest
 * rather than fetch: only it reports upload progress. Failures are ApiErrors with the server's
 * text, like every other request of the inbox.
 */
import { DEFAULT_MAX_UPLOAD_BYTES, UPLOADS_PATH, type UploadResponse } from "@parley/protocol";
import { ApiError } from "./http.js";

/** Statuses that say the file itself was refused (empty, too large, not allowed): retrying cannot help. */
export const REFUSED_STATUSES: ReadonlySet<number> = new Set([400, 413, 415]);

export function uploadFile(file: File, progress: (fraction: number) => void): Promise<UploadResponse> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", UPLOADS_PATH);
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) progress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as (Partial<UploadResponse> & { error?: unknown }) | null;
      if (xhr.status === 201 && typeof body?.id === "number") resolve(body as UploadResponse);
      else
        reject(
          new ApiError(
            xhr.status,
            typeof body?.error === "string" ? body.error : `Upload failed (${xhr.status})`,
          ),
        );
    };
    xhr.onerror =
      xhr.ontimeout =
      xhr.onabort =
        () => {
          // A body far over the limit is answered 413 and cut off unread, which the browser may
          // report as a network error: past the default limit, that is the likely reason.
          if (file.size > DEFAULT_MAX_UPLOAD_BYTES) {
            reject(new ApiError(413, `File too large (max ${DEFAULT_MAX_UPLOAD_BYTES / (1024 * 1024)} MB)`));
          } else reject(new ApiError(0, "The server cannot be reached. Check your connection."));
        };
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}
