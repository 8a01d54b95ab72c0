/** Message content as DOM: text nodes, and anchors for http(s) links. Never markup. */
import { splitLinks } from "@parley/protocol";
import { h } from "./kit.js";

export function richText(content: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const segment of splitLinks(content)) {
    fragment.appendChild(
      "href" in segment
        ? h("a", { href: segment.href, target: "_blank", rel: "noopener noreferrer nofollow" }, segment.text)
        : document.createTextNode(segment.text),
    );
  }
  return fragment;
}
