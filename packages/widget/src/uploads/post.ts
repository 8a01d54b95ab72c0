/**
 * One file to `POST /uploads` (protocol §9), as the visitor. XMLHttpRequest rather than fetch:
 * only it reports upload progress. No cookies go along; the token header says who uploads.
 * It never rejects: the answer is the stored attachment, or why there is none.
 */
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  UPLOADS_PATH,
  VISITOR_TOKEN_HEADER,
  type Attachment,
} from "@parley/protocol";
import { withSite } from "../site.js";

/** Why an upload failed, in the terms the visitor is told. */
export type UploadFailure =
  { kind: "too_large"; maxMb: number } | { kind: "not_allowed" | "empty" | "too_fast" | "failed" };

export function postFile(
  origin: string,
  token: string,
  file: File,
  progress: (fraction: number) => void,
  site?: string,
): Promise<Attachment | UploadFailure> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", withSite(origin + UPLOADS_PATH, site));
    xhr.setRequestHeader(VISITOR_TOKEN_HEADER, token);
    xhr.responseType = "json";
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) progress(event.loaded / event.total);
    };
    xhr.onload = () => {
      const body = xhr.response as Partial<Attachment> & { error?: unknown };
      if (xhr.status === 201 && typeof body?.id === "number") resolve(body as Attachment);
      else resolve(failureOf(xhr.status, body?.error, file.size));
    };
    xhr.onerror = xhr.ontimeout = xhr.onabort = () => resolve(failureOf(0, undefined, file.size));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

export function failureOf(status: number, error: unknown, size: number): UploadFailure {
  // The server states its limit in the 413's text: "File too large (max 10 MB)".
  const max = Number((typeof error === "string" && /max (\d+)/.exec(error)?.[1]) || 0);
  if (status === 413) return { kind: "too_large", maxMb: max || DEFAULT_MAX_UPLOAD_BYTES / 1048576 };
  // A body far over the limit is answered 413 and cut off before it is read, which a browser may
  // report as a network error: past the default limit, that is the likely reason.
  if (status === 0 && size > DEFAULT_MAX_UPLOAD_BYTES) {
    return { kind: "too_large", maxMb: DEFAULT_MAX_UPLOAD_BYTES / 1048576 };
  }
  if (status === 415) return { kind: "not_allowed" };
  if (status === 400) return { kind: "empty" };
  if (status === 429) return { kind: "too_fast" };
  return { kind: "failed" };
}
