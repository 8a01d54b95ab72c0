/** The list beside the open conversation (one at a time on narrow screens). */
import { Checklist } from "./Checklist.js";
import { useT } from "../i18n/index.js";
import { ConversationList } from "./ConversationList.js";
import { ConversationView } from "./ConversationView.js";
import { ListFilters } from "./ListFilters.js";
import { Shortcuts } from "./Shortcuts.js";

export function InboxPage({ conversationId }: { conversationId: number | null }) {
  const t = useT();
  return (
    <main class={`inbox${conversationId === null ? "" : " has-open"}`}>
      {/* Every screen has a first-level heading; here there is no room for a visible one. */}
      <h1 class="sr">{t.inboxHeading}</h1>
      <Shortcuts />
      <aside class="list-pane">
        <Checklist />
        <ListFilters />
        <ConversationList />
      </aside>
      {conversationId === null ? (
        <section class="thread empty-thread">
          <p class="muted">{t.pickConversation}</p>
        </section>
      ) : (
        <ConversationView key={conversationId} conversationId={conversationId} />
      )}
    </main>
  );
}
