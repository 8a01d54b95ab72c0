/**
 * What a visitor's page view tells (protocol §12), made safe to keep: URLs lose their fragment
 * and, unless the site keeps them, their query string (the UTM tags are read first), and
 * everything is cut to length. The browser's own words (user agent, Accept-Language) come from
 * the cable's upgrade request; the user agent is parsed into browser, OS and device.
 */
import {
  MAX_PAGE_TITLE_LENGTH,
  MAX_PAGE_URL_LENGTH,
  type PageView,
  type VisitorContext,
} from "@parley/protocol";
import UAParser from "ua-parser-js";
import type { StoredPageView, StoredVisitor } from "../store/store.js";
import { invalid } from "./errors.js";
import { plainName } from "./validate.js";

export const UTM_TAGS = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"] as const;
const MAX_UTM_LENGTH = 200;
/** Longer user agents are cut before they are parsed or kept (real ones are about 150). */
export const MAX_USER_AGENT_LENGTH = 512;
const MAX_LANGUAGE_LENGTH = 35;
const MAX_TIME_ZONE_LENGTH = 64;

function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length > max ? chars.slice(0, max).join("") : text;
}

function httpUrl(value: string): URL | undefined {
  if (!URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
}

/** The URL as kept: no credentials, no fragment, no query unless `keepQuery`; cut to length. */
function keptUrl(url: URL, keepQuery: boolean): string {
  const kept = new URL(url);
  kept.username = "";
  kept.password = "";
  kept.hash = "";
  if (!keepQuery) kept.search = "";
  return cut(kept.toString(), MAX_PAGE_URL_LENGTH);
}

/** The page's URL as kept, and its utm_* tags (read before the query string is dropped). */
export function pageUrl(value: unknown, keepQuery: boolean): { url: string; utm: Record<string, string> } {
  const url = typeof value === "string" ? httpUrl(value) : undefined;
  if (url === undefined) throw invalid("url must be an http or https URL");
  const utm: Record<string, string> = {};
  for (const tag of UTM_TAGS) {
    const tagValue = url.searchParams.get(tag);
    const clean = tagValue === null ? "" : cut(plainName(tagValue), MAX_UTM_LENGTH);
    if (clean !== "") utm[tag] = clean;
  }
  return { url: keptUrl(url, keepQuery), utm };
}

/** `document.referrer`, kept as pages are; anything else (blank, not http) is none. */
export function referrer(value: unknown, keepQuery: boolean): string | null {
  if (typeof value !== "string" || value === "") return null;
  const url = httpUrl(value);
  return url === undefined ? null : keptUrl(url, keepQuery);
}

export function pageTitle(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const title = cut(plainName(value), MAX_PAGE_TITLE_LENGTH);
  return title === "" ? null : title;
}

/** An IANA zone the runtime knows, in its canonical spelling; anything else is none. */
export function timeZone(value: unknown): string | null {
  if (typeof value !== "string" || value === "" || value.length > MAX_TIME_ZONE_LENGTH) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The first tag of Accept-Language (the browser's preferred language), canonical BCP 47. */
export function preferredLanguage(header: string | undefined): string | null {
  const first = header?.split(",")[0]?.split(";")[0]?.trim() ?? "";
  if (first === "" || first === "*" || first.length > MAX_LANGUAGE_LENGTH) return null;
  try {
    return Intl.getCanonicalLocales(first)[0] ?? null;
  } catch {
    return null;
  }
}

export interface BrowserFacts {
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
}

/** Browser and OS with their versions ("Chrome 126", "Mac OS 10.15.7"); device "desktop" unless it says. */
export function parseUserAgent(header: string | undefined): BrowserFacts {
  const userAgent = header === undefined ? "" : cut(plainName(header), MAX_USER_AGENT_LENGTH);
  if (userAgent === "") return { userAgent: null, browser: null, os: null, device: null };
  const { browser, os, device } = new UAParser(userAgent).getResult();
  const named = (name: string | undefined, version: string | undefined) =>
    name === undefined ? null : version === undefined ? name : `${name} ${version}`;
  return {
    userAgent,
    browser: named(browser.name, browser.major),
    os: named(os.name, os.version),
    // ua-parser-js names no type for desktops; a user agent it cannot read at all says nothing.
    device: device.type ?? (browser.name === undefined && os.name === undefined ? null : "desktop"),
  };
}

export function toWirePage(page: StoredPageView): PageView {
  return { url: page.url, title: page.title, at: page.at };
}

/** The context agents see; `ip_address` only when `withAddress` (owners). */
export function toWireContext(
  visitor: StoredVisitor | undefined,
  pages: readonly StoredPageView[],
  withAddress: boolean,
): VisitorContext {
  const last = pages[pages.length - 1];
  return {
    first_page: visitor?.firstPage ? toWirePage(visitor.firstPage) : null,
    current_page: last === undefined ? null : toWirePage(last),
    pages: pages.map(toWirePage),
    referrer: visitor?.referrer ?? null,
    utm: visitor?.utm ?? {},
    browser: visitor?.browser ?? null,
    os: visitor?.os ?? null,
    device: visitor?.device ?? null,
    user_agent: visitor?.userAgent ?? null,
    language: visitor?.language ?? null,
    time_zone: visitor?.timeZone ?? null,
    ...(withAddress ? { ip_address: visitor?.ipAddress ?? null } : {}),
    first_seen_at: visitor?.firstSeenAt ?? null,
    last_seen_at: visitor?.lastSeenAt ?? null,
  };
}
