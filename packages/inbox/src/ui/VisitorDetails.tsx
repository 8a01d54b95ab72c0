/**
 * Who the agent is talking to: name, presence, first and last seen, and who handles it; then the
 * contact they are (§12, editable) and their visit (GET /conversations/:id/context, with pages
 * heard live), and their other conversations.
 */
import type { Conversation } from "@parley/protocol";
import { useT } from "../i18n/index.js";
import { useEffect } from "preact/hooks";
import { agentLabel, visitorLabel } from "../state/names.js";
import { agoText, fullTime } from "../state/relativeTime.js";
import { withLivePages } from "../state/visitorContext.js";
import { ContactCard } from "./contacts/ContactCard.js";
import { contactLabel } from "../state/contactDraft.js";
import { PrivacySection } from "./PrivacyActions.js";
import { PastConversations, VisitorContextView } from "./contacts/VisitorContextView.js";
import { useInbox, useNow, useStore } from "./useInbox.js";
import "./contacts/contacts.css";

export function VisitorDetails({ conversation }: { conversation: Conversation }) {
  const me = useInbox((state) => state.me);
  const agents = useInbox((state) => state.agents);
  const now = useNow(30_000);
  const lastSeen = conversation.visitor_last_seen_at;
  const t = useT();
  return (
    // Focusable: it scrolls when the visit is long, and the keyboard must be able to scroll it
    // even when it holds no link.
    <aside class="details" aria-label={t.visitorDetails} tabIndex={0}>
      <h3>{t.visitor}</h3>
      <dl>
        <dt>{t.name}</dt>
        <dd>{visitorLabel(conversation)}</dd>
        <dt>{t.status}</dt>
        <dd>
          <span class={`dot${conversation.visitor_online ? " on" : ""}`} aria-hidden="true" />{" "}
          {conversation.visitor_online ? t.onlineNow : t.offline}
        </dd>
        <dt>{t.firstSeen}</dt>
        <dd title={fullTime(conversation.created_at)}>{fullTime(conversation.created_at)}</dd>
        <dt>{t.lastSeenTerm}</dt>
        <dd>
          {conversation.visitor_online ? (
            t.timeNowSentence
          ) : lastSeen ? (
            <time dateTime={lastSeen} title={fullTime(lastSeen)}>
              {agoText(lastSeen, now)}
            </time>
          ) : (
            t.unknown
          )}
        </dd>
        <dt>{t.conversation}</dt>
        <dd>
          #{conversation.id} · {conversation.status === "open" ? t.stateOpenOne : t.closed}
        </dd>
        <dt>{t.assignedToGroup}</dt>
        <dd>{agentLabel(agents, conversation.assignee_id, me.id)}</dd>
      </dl>
      <ContextPanel conversationId={conversation.id} now={now} />
    </aside>
  );
}

function ContextPanel({ conversationId, now }: { conversationId: number; now: number }) {
  const store = useStore();
  const entry = useInbox((state) => state.contexts.get(conversationId));
  const live = useInbox((state) => state.livePages.get(conversationId));
  const t = useT();
  useEffect(() => void store.loadContext(conversationId), [store, conversationId]);
  const data = entry?.data ?? null;
  if (data === null)
    return entry?.error ? (
      <p class="error small" role="alert">
        {entry.error}
      </p>
    ) : (
      <p class="muted small">{t.loadingVisit}</p>
    );
  return (
    <>
      {entry?.error && (
        <p class="error small" role="alert">
          {entry.error}
        </p>
      )}
      {data.contact !== null ? (
        <>
          <ContactCard key={data.contact.id} contact={data.contact} linked />
          <PrivacySection
            subject={{ kind: "contact", id: data.contact.id }}
            name={contactLabel(data.contact)}
            leaveTo="/admin/chats"
            leaveAtOnce
            headingLevel={3}
          />
        </>
      ) : (
        <p class="muted small no-contact">{t.notAContact}</p>
      )}
      <VisitorContextView context={withLivePages(data.context, live)} now={now} />
      <PastConversations conversations={data.past_conversations} now={now} />
    </>
  );
}
