/**
 * A message's files (protocol §9): images as thumbnails that open the full image in a new tab,
 * other files as downloads with their name, type and size. Names are text (alt text, link text),
 * never markup; the URLs are signed paths on this same server.
 */
import { useT } from "../i18n/index.js";
import type { Attachment } from "@parley/protocol";
import { fileTypeName, formatBytes } from "../state/files.js";
import type { PendingFile } from "../state/thread.js";
import { Icon } from "./Icon.js";
import "./attachments.css";

/** Thumbnails are shown at most this big (CSS px); their box is reserved before they load. */
const SHOWN_PX = 240;

export function Attachments({ files }: { files: readonly Attachment[] }) {
  return (
    <div class="attachments">
      {files.map((file) =>
        file.thumbnail_url ? <ImageLink key={file.id} file={file} /> : <FileLink key={file.id} file={file} />,
      )}
    </div>
  );
}

function ImageLink({ file }: { file: Attachment }) {
  const scale = Math.min(1, SHOWN_PX / Math.max(file.width ?? 1, file.height ?? 1));
  return (
    <a
      class="thumb"
      href={file.url}
      target="_blank"
      rel="noopener noreferrer"
      title={`${file.filename} · ${formatBytes(file.byte_size)}`}
    >
      <img
        src={file.thumbnail_url}
        alt={file.filename}
        width={file.width ? Math.round(file.width * scale) : undefined}
        height={file.height ? Math.round(file.height * scale) : undefined}
        loading="lazy"
      />
    </a>
  );
}

function FileLink({ file }: { file: Attachment }) {
  return (
    <a class="file" href={file.url} download={file.filename} rel="noopener noreferrer">
      <FileFacts name={file.filename} type={file.content_type} size={file.byte_size} />
    </a>
  );
}

function FileFacts({ name, type, size }: { name: string; type: string; size: number }) {
  return (
    <>
      <span class="file-icon">
        <Icon name="file" />
      </span>
      <span class="file-text">
        <span class="file-name">{name}</span>
        <span class="file-meta">
          {fileTypeName(type)} · {formatBytes(size)}
        </span>
      </span>
    </>
  );
}

/** Files not uploaded yet, with one bar for the message while they are on their way. */
export function UploadingFiles({
  files,
  progress,
}: {
  files: readonly PendingFile[];
  progress: number | undefined;
}) {
  const percent = Math.round((progress ?? 0) * 100);
  const t = useT();
  return (
    <div class="uploading">
      <ul class="attachments">
        {files.map((file, index) => (
          <li key={index} class="file">
            <FileFacts name={file.name} type={file.type} size={file.size} />
          </li>
        ))}
      </ul>
      {progress !== undefined && (
        <progress max={100} value={percent} aria-label={t.uploadingProgress(percent)} />
      )}
    </div>
  );
}
