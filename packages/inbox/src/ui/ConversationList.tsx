/**
 * The live list: newest activity first, one page at a time from the server (the next page loads
 * when the end of the list scrolls into view), so thousands of conversations never load at once.
 */
import type { Conversation } from "@parley/protocol";
import { useT } from "../i18n/index.js";
import { useEffect, useRef } from "preact/hooks";
import { agentLabel, authorLabel, visitorLabel } from "../state/names.js";
import { fullTime, relativeTime } from "../state/relativeTime.js";
import { routePath } from "../state/routes.js";
import { rowName, rowPreview } from "../state/rowName.js";
import { siteLabel } from "../state/sites.js";
import { typistsIn } from "../state/typing.js";
import { Icon } from "./Icon.js";
import { LabelChips } from "./LabelChips.js";
import { onLinkClick } from "./router.js";
import { StateTag } from "./StateTag.js";
import { useInbox, useNow, useStore } from "./useInbox.js";

export function ConversationList() {
  const store = useStore();
  const list = useInbox((state) => state.list);
  const conversations = useInbox((state) => state.conversations);
  const sentinel = useRef<HTMLDivElement>(null);
  const t = useT();

  useEffect(() => {
    const element = sentinel.current;
    if (!element || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) store.loadMore();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [store]);

  return (
    <nav class="conversations" aria-label={t.conversations} aria-busy={list.loading}>
      <ul>
        {list.ids.map((id) => {
          const conversation = conversations.get(id);
          return conversation ? <Row key={id} conversation={conversation} /> : null;
        })}
      </ul>
      {list.error !== null && (
        <p class="error" role="alert">
          {list.error}{" "}
          <button type="button" class="link" onClick={() => store.setFilter(list.filter)}>
            {t.tryAgain}
          </button>
        </p>
      )}
      {list.loading && <p class="muted pad">{t.loading}</p>}
      {!list.loading && list.loaded && list.ids.length === 0 && list.error === null && (
        <p class="muted pad">{list.filter.search.trim() ? t.noMatch : t.noConversations}</p>
      )}
      {list.nextBefore !== undefined && !list.loading && (
        <button type="button" class="more" onClick={() => store.loadMore()}>
          {t.loadOlderConversations}
        </button>
      )}
      <div ref={sentinel} class="sentinel" />
    </nav>
  );
}

function Row({ conversation }: { conversation: Conversation }) {
  const openId = useInbox((state) => state.openId);
  const me = useInbox((state) => state.me);
  const agents = useInbox((state) => state.agents);
  const typing = useInbox((state) => state.typing);
  const site = useInbox((state) => siteLabel(state.sites, conversation));
  const now = useNow(30_000);
  const t = useT();
  const active = openId === conversation.id;
  const unread = conversation.unread_count;
  const last = conversation.latest_message;
  const author = last ? authorLabel(last, me.id) : "";
  const typists = typistsIn(typing, conversation.id, now);
  const visitorTyping = typists.includes("visitor");
  const time = relativeTime(conversation.updated_at, now);
  // Screen readers get a brief name (rowName) and who handles it as the description, not all
  // the row shows. The name is the link's own (hidden) text rather than an aria-label: a label
  // leaving out text the link shows would not contain what a voice-control user reads on it.
  const name = rowName({
    visitor: visitorLabel(conversation),
    unread,
    time,
    preview: visitorTyping
      ? t.typing
      : last
        ? rowPreview(
            { author, text: conversation.last_message || t.attachment, viaEmail: last.via === "email" },
            t.byEmailPreview,
          )
        : t.noMessagesYet,
  });
  const descriptionId = `row-${conversation.id}-about`;
  return (
    <li>
      <a
        href={routePath({ page: "chats", conversationId: conversation.id })}
        onClick={onLinkClick}
        class={`row${unread > 0 ? " unread" : ""}${active ? " active" : ""}`}
        aria-current={active ? "page" : undefined}
        aria-describedby={descriptionId}
        data-conversation-id={conversation.id}
      >
        <span class="sr">{name}</span>
        <span
          class={`dot${conversation.visitor_online ? " on" : ""}`}
          title={conversation.visitor_online ? t.visitorOnline : t.visitorOffline}
          aria-hidden="true"
        />
        <span class="row-main" aria-hidden="true">
          <span class="row-line">
            <span class="name">{visitorLabel(conversation)}</span>
            <time dateTime={conversation.updated_at} title={fullTime(conversation.updated_at)}>
              {time}
            </time>
          </span>
          <span class="row-line">
            <span class="preview">
              {visitorTyping ? (
                <em>{t.typing}</em>
              ) : last ? (
                <>
                  {author && <span class="author">{author}: </span>}
                  {last.via === "email" && (
                    <span class="via-email-icon" title={t.byEmail}>
                      <Icon name="mail" />
                    </span>
                  )}
                  {/* The server's preview text: a message of files alone is previewed by their names. */}
                  {conversation.last_message ? conversation.last_message : <em>{t.attachment}</em>}
                </>
              ) : (
                <em>{t.noMessagesYet}</em>
              )}
            </span>
            {unread > 0 && <span class="badge">{unread > 99 ? "99+" : unread}</span>}
          </span>
          <span class="row-meta" id={descriptionId}>
            <span class="sr">{conversation.visitor_online ? t.visitorOnlineSentence : ""}</span>
            <span class="assignee">
              {conversation.assignee_id === null
                ? t.unassigned
                : conversation.assignee_id === me.id
                  ? t.assignedToYou
                  : t.assignedTo(agentLabel(agents, conversation.assignee_id, me.id))}
            </span>
            {site !== null && (
              <span class="row-site">
                <span class="sr">{t.siteSr}</span>
                {site}
              </span>
            )}
            <StateTag conversation={conversation} short />
            <LabelChips conversation={conversation} />
          </span>
        </span>
      </a>
    </li>
  );
}
