/**
 * The `page` action (protocol §12): the widget says which page it runs on, the cable's upgrade
 * request adds the browser's words and the address, and the visitor's context keeps it. Agents of
 * the site hear `visitor_page` when the visitor has a conversation. A flood of page views is
 * not stored past the per-token or per-address limit (limitRules.ts): nothing a stranger sends
 * grows unbounded, however many tokens they invent.
 */
import { PAGE_HISTORY_LIMIT } from "@parley/protocol";
import type { StoredSite } from "../store/store.js";
import type { ChatContext } from "./context.js";
import * as context from "./visitorContext.js";

export interface PageAction {
  url: unknown;
  title?: unknown;
  referrer?: unknown;
  time_zone?: unknown;
}

/** What the cable's upgrade request said about the browser. */
export interface BrowserRequest {
  userAgent: string | undefined;
  acceptLanguage: string | undefined;
  /** The client's address as every limit sees it (TRUST_PROXY). */
  address: string;
}

export class VisitorPages {
  constructor(private readonly chat: ChatContext) {}

  /** Stores the page view; false when the visitor or their address is over its limit (nothing stored). */
  async record(
    site: StoredSite,
    token: string,
    action: PageAction,
    browser: BrowserRequest,
  ): Promise<boolean> {
    const { url, utm } = context.pageUrl(action.url, site.keepQueryStrings);
    const { limits } = this.chat;
    const [perToken, perAddress] = await Promise.all([
      limits.pages.take(token),
      limits.pagesPerAddress.take(browser.address),
    ]);
    if (!perToken.ok || !perAddress.ok) return false;
    const at = this.chat.now().toISOString();
    const page = { url, title: context.pageTitle(action.title), at };
    const { store } = this.chat;
    const visitor = await store.ensureVisitor(site.id, token, at);
    await store.recordPageView(visitor.id, {
      page,
      referrer: context.referrer(action.referrer, site.keepQueryStrings),
      utm,
      ...context.parseUserAgent(browser.userAgent),
      language: context.preferredLanguage(browser.acceptLanguage),
      timeZone: context.timeZone(action.time_zone),
      ipAddress: browser.address,
      keepPages: PAGE_HISTORY_LIMIT,
    });
    const conversation = await store.findConversationByToken(token);
    if (conversation !== undefined && conversation.siteId === site.id)
      await this.chat.events.visitorPage(conversation, context.toWirePage(page));
    return true;
  }
}
