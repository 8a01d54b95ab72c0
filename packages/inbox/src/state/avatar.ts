/** An agent's face: the photo's URL when there is one, else initials; and what a refused upload means. */
import { messages } from "../i18n/index.js";
import { MAX_AVATAR_BYTES } from "@parley/protocol";

/** Up to two initials from a display name ("Ada Lovelace" → "AL", "bea" → "B"), or "?" for a blank one. */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/\s+/u)
    .filter((word) => word !== "");
  if (words.length === 0) return "?";
  const first = [...(words[0] ?? "")][0] ?? "";
  const last = words.length > 1 ? ([...(words[words.length - 1] ?? "")][0] ?? "") : "";
  return (first + last).toLocaleUpperCase();
}

/** The types `PUT /agents/me/avatar` accepts (§14). */
export const AVATAR_TYPES: readonly string[] = ["image/png", "image/jpeg", "image/webp", "image/gif"];

/** Said before a file is even read, when its type is not one the server takes. */
export const NOT_AN_ACCEPTED_TYPE = "Choose a PNG, JPEG, WebP or GIF picture.";

/**
 * What to tell the agent when the server refuses the photo: a sentence for the status, then the
 * server's own words when they add something.
 */
export function avatarError(status: number, serverText: string): string {
  const plain =
    status === 413
      ? messages().photoTooLarge(MAX_AVATAR_BYTES / (1024 * 1024))
      : status === 415
        ? messages().photoWrongType(messages().notAnAcceptedType)
        : status === 400
          ? messages().photoUnreadableServer
          : status === 429
            ? messages().tooManyPhotos
            : null;
  if (plain === null) return serverText;
  return serverText === "" || /^Request failed/.test(serverText) ? plain : `${plain} (${serverText})`;
}
