/** One conversation: header with actions, the messages, who is typing, the reply box, the visitor. */
import type { Agent } from "@parley/protocol";
import { type Messages, useT } from "../i18n/index.js";
import { useState } from "preact/hooks";
import { visitorLabel } from "../state/names.js";
import { relativeTime } from "../state/relativeTime.js";
import { siteLabel } from "../state/sites.js";
import { EMPTY_THREAD } from "../state/thread.js";
import { typistsIn } from "../state/typing.js";
import { Composer } from "./Composer.js";
import { ConversationActions } from "./ConversationActions.js";
import { LabelChips } from "./LabelChips.js";
import { MessageLog } from "./MessageLog.js";
import { RatingBadge } from "./RatingBadge.js";
import { onLinkClick } from "./router.js";
import { StateTag } from "./StateTag.js";
import { useFileDrop } from "./useFileDrop.js";
import { useInbox, useNow, useStore } from "./useInbox.js";
import { VisitorDetails } from "./VisitorDetails.js";

function typingText(typists: string[], agents: readonly Agent[], t: Messages): string {
  const names = typists.map((typist) => {
    if (typist === "visitor") return t.theVisitor;
    const id = Number(typist.slice("agent:".length));
    return agents.find((agent) => agent.id === id)?.name ?? t.anAgent;
  });
  if (names.length === 0) return "";
  return t.isTyping(names);
}

export function ConversationView({ conversationId }: { conversationId: number }) {
  const conversation = useInbox((state) => state.conversations.get(conversationId));
  const thread = useInbox((state) => state.threads.get(conversationId)) ?? EMPTY_THREAD;
  const site = useInbox((state) =>
    conversation === undefined ? null : siteLabel(state.sites, conversation),
  );
  const now = useNow(30_000);
  const t = useT();
  const [showDetails, setShowDetails] = useState(false);
  const store = useStore();
  // The whole conversation (messages and reply box) takes dropped files.
  const drop = useFileDrop((files) => store.attach(conversationId, files));

  if (conversation === undefined) {
    return (
      <section class="thread">
        <p class="muted pad">{t.loadingConversation}</p>
      </section>
    );
  }
  const lastSeen = conversation.visitor_last_seen_at;
  return (
    <section class="thread" aria-label={t.conversationWith(visitorLabel(conversation))}>
      <header class="thread-head">
        <a class="back" href="/admin/chats" onClick={onLinkClick} aria-label={t.backToList}>
          ←
        </a>
        <div class="who-block">
          <h2>{visitorLabel(conversation)}</h2>
          <p class="muted small">
            <span class={`dot${conversation.visitor_online ? " on" : ""}`} aria-hidden="true" />{" "}
            {conversation.visitor_online
              ? t.online
              : lastSeen
                ? t.lastSeen(relativeTime(lastSeen, now))
                : t.offline}
            {site !== null && <span class="thread-site"> · {site}</span>}
            <StateTag conversation={conversation} />
          </p>
          <LabelChips conversation={conversation} />
          <RatingBadge conversation={conversation} />
        </div>
        <ConversationActions
          conversation={conversation}
          detailsShown={showDetails}
          onToggleDetails={() => setShowDetails(!showDetails)}
        />
      </header>
      <div class={`thread-body${showDetails ? " with-details" : ""}`}>
        <div class={`thread-main${drop.dropping ? " dropping" : ""}`} {...drop.handlers}>
          <MessageLog conversationId={conversationId} thread={thread} />
          <TypingLine conversationId={conversationId} />
          <Composer
            key={conversationId}
            conversationId={conversationId}
            closed={conversation.status === "closed"}
          />
        </div>
        <VisitorDetails conversation={conversation} />
      </div>
    </section>
  );
}

/** Its own component: it re-renders every second while someone types, the messages do not. */
function TypingLine({ conversationId }: { conversationId: number }) {
  const typing = useInbox((state) => state.typing);
  const agents = useInbox((state) => state.agents);
  const now = useNow(1000);
  const t = useT();
  return (
    <p class="typing" aria-live="polite">
      {typingText(typistsIn(typing, conversationId, now), agents, t)}
    </p>
  );
}
