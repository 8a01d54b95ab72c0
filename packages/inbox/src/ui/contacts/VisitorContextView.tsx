/**
 * Where the visitor is and came from (§12): the current page (live, from `visitor_page`), the
 * first page, every page with its time, referrer, UTM tags, browser, language, time zone with
 * their local time now, the address (owners only), and the contact's other conversations. Text
 * only: a URL is shown as text, and is a link only when it is http or https.
 */
import { useT } from "../../i18n/index.js";
import type { Conversation, PageView, VisitorContext } from "@parley/protocol";
import { useState } from "preact/hooks";
import { visitorLabel } from "../../state/names.js";
import { fullTime, relativeTime, sinceText } from "../../state/relativeTime.js";
import { browserLine, localTimeIn, safeHref, utmEntries } from "../../state/visitorContext.js";
import { onLinkClick } from "../router.js";
import { useNow } from "../useInbox.js";

/** Pages shown before "Show all": the newest ones. */
const PAGES_SHOWN = 8;

/** A URL as text, a link to it where that is safe (http, https), never a javascript: link. */
export function UrlText({ url, label }: { url: string; label?: string | null }) {
  const href = safeHref(url);
  const text = label?.trim() ? label : url;
  if (href === null) return <span class="url">{text}</span>;
  return (
    <a class="url" href={href} target="_blank" rel="noopener noreferrer" title={url}>
      {text}
    </a>
  );
}

function Page({ page, now, showTime }: { page: PageView; now: number; showTime?: boolean }) {
  return (
    <span class="page-view">
      <UrlText url={page.url} label={page.title} />
      {page.title?.trim() && <span class="muted small page-url">{page.url}</span>}
      {showTime !== false && (
        <time class="muted small" dateTime={page.at} title={fullTime(page.at)}>
          {sinceText(page.at, now)}
        </time>
      )}
    </span>
  );
}

export function VisitorContextView({ context, now }: { context: VisitorContext; now: number }) {
  const [allPages, setAllPages] = useState(false);
  const t = useT();
  const clock = useNow(30_000);
  const pages = [...context.pages].reverse();
  const shown = allPages ? pages : pages.slice(0, PAGES_SHOWN);
  const utm = utmEntries(context.utm);
  const device = browserLine(context);
  const localTime = localTimeIn(context.time_zone, Math.max(now, clock));
  return (
    <section class="visitor-context" aria-labelledby="context-title">
      <h3 id="context-title">{t.visit}</h3>
      <dl>
        <dt>{t.currentPage}</dt>
        <dd class="current-page" data-current-page>
          {context.current_page ? (
            <Page page={context.current_page} now={now} />
          ) : (
            <span class="muted">{t.unknown}</span>
          )}
        </dd>
        {context.first_page && (
          <>
            <dt>{t.firstPage}</dt>
            <dd>
              <Page page={context.first_page} now={now} />
            </dd>
          </>
        )}
        <dt>{t.referrer}</dt>
        <dd>
          {context.referrer ? <UrlText url={context.referrer} /> : <span class="muted">{t.noneDirect}</span>}
        </dd>
        {utm.length > 0 && (
          <>
            <dt>{t.campaign}</dt>
            <dd>
              <ul class="plain utm">
                {utm.map(([key, value]) => (
                  <li key={key}>
                    <span class="muted">{key}:</span> {value}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>{t.browser}</dt>
        <dd title={context.user_agent ?? undefined}>{device ?? <span class="muted">{t.unknown}</span>}</dd>
        <dt>{t.languageHeading}</dt>
        <dd>{context.language ?? <span class="muted">{t.unknown}</span>}</dd>
        <dt>{t.timeZone}</dt>
        <dd>
          {context.time_zone ? (
            <span>
              {context.time_zone}
              {localTime !== null && <span class="muted"> · {localTime} there now</span>}
            </span>
          ) : (
            <span class="muted">{t.unknown}</span>
          )}
        </dd>
        {context.ip_address != null && (
          <>
            <dt>{t.address}</dt>
            <dd>{context.ip_address}</dd>
          </>
        )}
      </dl>
      {pages.length > 0 && (
        <>
          <h4 class="context-sub">
            {t.pagesVisited} <span class="muted">({pages.length})</span>
          </h4>
          <ol class="plain pages" aria-label={t.pagesVisitedNewest}>
            {shown.map((page) => (
              <li key={`${page.at} ${page.url}`}>
                <Page page={page} now={now} />
              </li>
            ))}
          </ol>
          {pages.length > PAGES_SHOWN && (
            <button type="button" class="ghost small-button" onClick={() => setAllPages(!allPages)}>
              {allPages ? t.showFewer : t.showAll(pages.length)}
            </button>
          )}
        </>
      )}
    </section>
  );
}

/** The contact's other conversations, as links into the inbox. */
export function PastConversations({
  conversations,
  now,
}: {
  conversations: readonly Conversation[];
  now: number;
}) {
  if (conversations.length === 0) return null;
  return (
    <section class="past-conversations" aria-labelledby="past-title">
      <h3 id="past-title">{useT().otherConversations}</h3>
      <ul class="plain">
        {conversations.map((conversation) => (
          <li key={conversation.id}>
            <ConversationLink conversation={conversation} now={now} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function ConversationLink({ conversation, now }: { conversation: Conversation; now: number }) {
  const t = useT();
  return (
    <a class="conversation-link" href={`/admin/chats/${conversation.id}`} onClick={onLinkClick}>
      <span class="conversation-link-name">
        #{conversation.id} · {visitorLabel(conversation)}
        {conversation.status === "closed" && <span class="tag">{t.closed}</span>}
      </span>
      {conversation.last_message !== undefined && (
        <span class="muted small conversation-link-preview">{conversation.last_message}</span>
      )}
      <time class="muted small" dateTime={conversation.updated_at} title={fullTime(conversation.updated_at)}>
        {relativeTime(conversation.updated_at, now)}
      </time>
    </a>
  );
}
