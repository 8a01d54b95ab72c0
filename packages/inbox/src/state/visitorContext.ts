/**
 * The visitor's context (protocol §12) as the side panel shows it: the answer of
 * GET /conversations/:id/context joined with the pages that arrived live (`visitor_page`), and the
 * small formatting questions the panel asks (a safe link for a URL, the visitor's local time, the
 * UTM tags in a fixed order).
 */
import {
  PAGE_HISTORY_LIMIT,
  type ConversationContextResponse,
  type PageView,
  type VisitorContext,
} from "@parley/protocol";

/** One conversation's context as fetched: the last answer stays shown while a new one loads. */
export interface ContextEntry {
  data: ConversationContextResponse | null;
  loading: boolean;
  error: string | null;
}

/** Pages heard live per conversation, oldest first, at most PAGE_HISTORY_LIMIT. */
export type LivePages = ReadonlyMap<number, readonly PageView[]>;

const samePage = (a: PageView, b: PageView): boolean => a.url === b.url && a.at === b.at;

/** Oldest first by `at`, without repeats (the fetched context and the live event may both hold one). */
export function joinPages(older: readonly PageView[], newer: readonly PageView[]): PageView[] {
  const joined: PageView[] = [...older];
  for (const page of newer) if (!joined.some((known) => samePage(known, page))) joined.push(page);
  joined.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return joined.slice(-PAGE_HISTORY_LIMIT);
}

/** A `visitor_page` for a conversation: kept beside the fetched context until the next fetch. */
export function addLivePage(live: LivePages, conversationId: number, page: PageView): LivePages {
  const pages = joinPages(live.get(conversationId) ?? [], [page]);
  return new Map(live).set(conversationId, pages);
}

/** The context with the live pages in it: the newest page is the current one. */
export function withLivePages(
  context: VisitorContext,
  live: readonly PageView[] | undefined,
): VisitorContext {
  if (live === undefined || live.length === 0) return context;
  const pages = joinPages(context.pages, live);
  const newest = pages.at(-1) ?? null;
  const current =
    context.current_page !== null && newest !== null && context.current_page.at > newest.at
      ? context.current_page
      : newest;
  return {
    ...context,
    pages,
    current_page: current,
    first_page: context.first_page ?? pages[0] ?? null,
    last_seen_at:
      context.last_seen_at !== null && current !== null && context.last_seen_at > current.at
        ? context.last_seen_at
        : (current?.at ?? context.last_seen_at),
  };
}

/** An address a link may point to: http and https only (never javascript:, data:, …). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

const UTM_ORDER = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

/** The UTM tags as label and value, in their usual order, then any other key the server sent. */
export function utmEntries(utm: Record<string, string>): [string, string][] {
  const keys = Object.keys(utm).sort((a, b) => {
    const ia = UTM_ORDER.indexOf(a);
    const ib = UTM_ORDER.indexOf(b);
    return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || a.localeCompare(b);
  });
  return keys
    .filter((key) => typeof utm[key] === "string" && utm[key] !== "")
    .map((key) => [key.replace(/^utm_/, ""), utm[key] ?? ""]);
}

/**
 * The time now where the visitor is ("Tue 14:05"), or null for an unknown zone. `locale` is the
 * agent's, so the agent reads it in their own format.
 */
export function localTimeIn(timeZone: string | null, nowMs: number, locale?: string): string | null {
  if (!timeZone) return null;
  try {
    return new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    }).format(nowMs);
  } catch {
    return null;
  }
}

/** "Chrome 120 on macOS, desktop": whichever of the three is known. */
export function browserLine(context: Pick<VisitorContext, "browser" | "os" | "device">): string | null {
  const head = [context.browser, context.os].filter((part): part is string => !!part).join(" on ");
  const line = [head, context.device].filter((part): part is string => !!part).join(", ");
  return line === "" ? null : line;
}
