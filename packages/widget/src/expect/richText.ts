/**
 * A message's text with its http(s) URLs as links that open in a new tab, without the page
 * behind (noopener) or telling the linked site where the visitor came from (noreferrer). Text
 * stays text nodes; only what `splitLinks` (@parley/protocol, shared with the inbox) accepts as
 * an http(s) URL becomes an `href`. In the expect chunk, since only messages have links: until it
 * is there, a message shows as plain text, then is drawn again with its links.
 */
import { splitLinks } from "@parley/protocol";

export function richText(content: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const { text, href } of splitLinks(content)) {
    let node: Node = document.createTextNode(text);
    if (href) {
      const link = document.createElement("a");
      link.href = href;
      link.target = "_blank";
      link.rel = "noopener noreferrer nofollow";
      link.append(node);
      node = link;
    }
    fragment.appendChild(node);
  }
  return fragment;
}
