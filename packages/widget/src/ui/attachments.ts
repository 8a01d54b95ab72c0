/**
 * A message's files (protocol §9): images as thumbnails that open the full image in a new tab,
 * other files as download links. Names are text (alt text or link text), never markup; URLs are
 * paths on the server, resolved against its origin and kept only if they stay on it.
 */
import type { Attachment } from "@parley/protocol";
import { h } from "./kit.js";

/** Thumbnails are shown at most this big (CSS px), their box reserved before they load. */
const SHOWN_PX = 200;

export function attachmentList(files: Attachment[], origin: string): HTMLElement {
  const onServer = (path: string): string => {
    const url = new URL(path, origin);
    return url.origin === origin ? url.href : "";
  };
  return h(
    "div",
    { class: "at" },
    ...files.map((file) => {
      const link = { href: onServer(file.url), target: "_blank", rel: "noopener noreferrer" };
      if (!file.thumbnail_url) return h("a", { ...link, download: file.filename, class: "f" }, file.filename);
      const scale = Math.min(1, SHOWN_PX / Math.max(file.width ?? 1, file.height ?? 1));
      return h(
        "a",
        link,
        h("img", {
          src: onServer(file.thumbnail_url),
          alt: file.filename,
          width: file.width ? String(Math.round(file.width * scale)) : undefined,
          height: file.height ? String(Math.round(file.height * scale)) : undefined,
        }),
      );
    }),
  );
}
