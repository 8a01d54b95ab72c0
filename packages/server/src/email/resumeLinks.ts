/**
 * Reopen links (protocol §16): a reply email's button leads to the visitor's last page of the
 * site with `#parley=<link>`, where the widget exchanges the link for the conversation's token
 * (`POST /widget/resume`). The link is signed for the purpose "resume" and names the
 * conversation; it expires after RESUME_LINK_DAYS.
 */
import { RESUME_FRAGMENT_KEY, RESUME_LINK_DAYS } from "@parley/protocol";
import type { SignedTokens } from "./signedTokens.js";

const DAY_MS = 24 * 60 * 60 * 1000;

interface ResumeClaims {
  /** The conversation's id. */
  c: number;
}

export type ResumeCheck = { kind: "valid"; conversationId: number } | { kind: "invalid" };

export class ResumeLinks {
  constructor(
    private readonly tokens: SignedTokens,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A link to the conversation, good for RESUME_LINK_DAYS from now. */
  sign(conversationId: number): string {
    return this.tokens.sign<ResumeClaims>(
      "resume",
      { c: conversationId },
      new Date(this.now().getTime() + RESUME_LINK_DAYS * DAY_MS),
    );
  }

  /** The conversation a link names; expired, altered and foreign links are all just invalid. */
  check(link: unknown): ResumeCheck {
    const checked = this.tokens.verify<ResumeClaims>("resume", link);
    if (checked.kind !== "valid") return { kind: "invalid" };
    const id = checked.claims.c;
    return Number.isSafeInteger(id) && id > 0 ? { kind: "valid", conversationId: id } : { kind: "invalid" };
  }
}

/** `page` with its fragment replaced by `#parley=<link>` (a link is URL-safe as it is). */
export function pageWithLink(page: string, link: string): string {
  const url = new URL(page);
  url.hash = `${RESUME_FRAGMENT_KEY}=${link}`;
  return url.toString();
}

/**
 * Where a reply email's button leads: the visitor's last page of the site, else the site's first
 * origin, else the server's own demo page (PUBLIC_URL's `/`). Only http(s) pages are used.
 */
export function resumePage(options: {
  lastPage: string | undefined;
  siteOrigins: readonly string[];
  publicUrl: string;
}): string {
  for (const candidate of [options.lastPage, options.siteOrigins[0]]) {
    if (candidate !== undefined && isWebPage(candidate)) return candidate;
  }
  return new URL("/", options.publicUrl).toString();
}

function isWebPage(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const protocol = new URL(value).protocol;
  return protocol === "http:" || protocol === "https:";
}
