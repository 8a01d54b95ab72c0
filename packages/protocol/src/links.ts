/**
 * Splits message (and note) text into plain runs and http(s) links, for the widget and the
 * inbox alike. The renderer turns each run into a text node or an anchor, so message content
 * never becomes markup and no other scheme (javascript:, data:, mailto:) becomes a link. Small on
 * purpose: the widget pays for every byte of it.
 */
export type TextSegment = { text: string; href?: undefined } | { text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+/gi;
/** Punctuation that usually ends the sentence around a URL rather than the URL itself. */
const TRAILING = /[.,;:!?'*)\]]+$/;

export function splitLinks(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    let url = match[0];
    const trailing = TRAILING.exec(url);
    if (trailing) url = url.slice(0, url.length - trailing[0].length);
    // Give back closing parentheses that balance ones inside the URL (Wikipedia-style links).
    while (text[start + url.length] === ")" && countOf(url, "(") > countOf(url, ")")) url += ")";
    const href = safeHref(url);
    if (!href) continue;
    if (start > last) segments.push({ text: text.slice(last, start) });
    segments.push({ text: url, href });
    last = start + url.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

function countOf(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** The normalised URL if it parses and is http or https; anything else stays text. */
export function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
