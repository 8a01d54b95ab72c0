/** The list beside the open conversation (one at a time on narrow screens). */
import { Checklist } from "./Checklist.js";
import { ConversationList } from "./ConversationList.js";
import { ConversationView } from "./ConversationView.js";
import { ListFilters } from "./ListFilters.js";
import { Shortcuts } from "./Shortcuts.js";

export function InboxPage({ conversationId }: { conversationId: number | null }) {
  return (
    <main class={`inbox${conversationId === null ? "" : " has-open"}`}>
      {/* Every screen has a first-level heading; here there is no room for a visible one. */}
      <h1 class="sr">Inbox</h1>
      <Shortcuts />
      <aside class="list-pane">
        <Checklist />
        <ListFilters />
        <ConversationList />
      </aside>
      {conversationId === null ? (
        <section class="thread empty-thread">
          <p class="muted">Pick a conversation to answer it.</p>
        </section>
      ) : (
        <ConversationView key={conversationId} conversationId={conversationId} />
      )}
    </main>
  );
}
