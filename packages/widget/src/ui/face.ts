/**
 * An agent's face (protocol §14): their photo from the server, or their initial on the site's
 * colour (the text colour on it meets WCAG AA, ../contrast.ts). Decorative: the name is always
 * in text next to it, so the photo's alt is empty and the initial is hidden from screen readers.
 */
import { initial } from "../team.js";
import { h } from "./kit.js";

/** Faces are drawn at most this big (CSS px); the photos are larger, for sharp screens. */
const FACE_PX = "28";

export function face(name: string, avatarUrl: string | null | undefined, origin: string): HTMLElement {
  // Relative to the server, and kept only if it stays there (as attachments' URLs).
  const url = avatarUrl ? new URL(avatarUrl, origin) : undefined;
  return url?.origin === origin
    ? h("img", {
        class: "av",
        src: url.href,
        alt: "",
        loading: "lazy",
        width: FACE_PX,
        height: FACE_PX,
        referrerpolicy: "no-referrer",
      })
    : h("span", { class: "av", "aria-hidden": "true" }, initial(name));
}
