/**
 * A conversation's messages, oldest first. It stays pinned to the newest message while the agent
 * is at the bottom, keeps its place when older pages arrive above, and loads those pages when
 * scrolled to the top. Content is text nodes only: markup in a message shows as typed; http(s)
 * URLs become links. Private notes (§15) sit among the messages by time; answers by email (§16)
 * are marked so.
 */
import type { Message } from "@parley/protocol";
import { useT } from "../i18n/index.js";
import { useLayoutEffect, useRef } from "preact/hooks";
import { authorLabel } from "../state/names.js";
import { fullTime, relativeTime } from "../state/relativeTime.js";
import { interleave } from "../state/notes.js";
import type { PendingMessage, Thread } from "../state/thread.js";
import { Attachments, UploadingFiles } from "./Attachments.js";
import { Avatar } from "./Avatar.js";
import { Icon } from "./Icon.js";
import { LinkedText } from "./LinkedText.js";
import { NoteItem, PendingNoteItem } from "./NoteItem.js";
import { useInbox, useNow, useStore } from "./useInbox.js";
import { useNoteThread } from "./useNotes.js";

const NEAR_EDGE_PX = 80;

export function MessageLog(props: { conversationId: number; thread: Thread }) {
  const { conversationId, thread } = props;
  const store = useStore();
  const me = useInbox((state) => state.me);
  const now = useNow(30_000);
  const notes = useNoteThread(conversationId);
  const scroller = useRef<HTMLElement>(null);
  // Where the agent was before this render: at the bottom, and how far from it.
  const place = useRef({ atBottom: true, fromBottom: 0, firstId: 0, conversationId: 0 });

  const remember = (): void => {
    const element = scroller.current;
    if (!element) return;
    const fromBottom = element.scrollHeight - element.scrollTop - element.clientHeight;
    place.current.atBottom = fromBottom < NEAR_EDGE_PX;
    place.current.fromBottom = element.scrollHeight - element.scrollTop;
  };

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const firstId = thread.messages[0]?.id ?? 0;
    const previous = place.current;
    if (previous.conversationId !== conversationId) {
      element.scrollTop = element.scrollHeight;
    } else if (previous.firstId !== 0 && firstId < previous.firstId) {
      // An older page came in above: keep the same message under the agent's eyes.
      element.scrollTop = element.scrollHeight - previous.fromBottom;
    } else if (
      previous.atBottom ||
      thread.pending.some((p) => p.state !== "failed") ||
      notes.pending.some((p) => p.state === "sending")
    ) {
      element.scrollTop = element.scrollHeight;
    }
    place.current = { ...place.current, firstId, conversationId };
    remember();
  }, [conversationId, thread, notes]);

  const t = useT();
  const onScroll = (): void => {
    remember();
    if (scroller.current && scroller.current.scrollTop < NEAR_EDGE_PX) store.loadOlder(conversationId);
  };

  return (
    // A labelled region the keyboard can scroll. Not role="log": screen readers would read
    // out every page of history as it loads.
    <section class="log" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label={t.messages}>
      {thread.hasMore && (
        <button
          type="button"
          class="more"
          disabled={thread.loadingOlder}
          onClick={() => store.loadOlder(conversationId)}
        >
          {thread.loadingOlder ? t.loading : t.loadEarlier}
        </button>
      )}
      {!thread.loaded && <p class="muted pad">{t.loadingMessages}</p>}
      {thread.loaded &&
        thread.messages.length === 0 &&
        thread.pending.length === 0 &&
        notes.notes.length === 0 && <p class="muted pad">{t.noMessagesYetSentence}</p>}
      <ol class="messages">
        {interleave(thread.messages, notes.notes, thread.hasMore).map((item) =>
          item.kind === "message" ? (
            <StoredItem key={`m${item.message.id}`} message={item.message} meId={me.id} now={now} />
          ) : (
            <NoteItem key={`n${item.note.id}`} note={item.note} meId={me.id} now={now} />
          ),
        )}
        {thread.pending.map((pending) => (
          <PendingItem
            key={pending.client_id}
            pending={pending}
            onRetry={() => store.retry(conversationId, pending.client_id)}
          />
        ))}
        {notes.pending.map((pending) => (
          <PendingNoteItem
            key={pending.client_id}
            pending={pending}
            onRetry={() => store.notes.retry(conversationId, pending.client_id)}
          />
        ))}
      </ol>
    </section>
  );
}

function StoredItem({ message, meId, now }: { message: Message; meId: number; now: number }) {
  const fromVisitor = message.sender === "visitor";
  const mine = !fromVisitor && message.agent?.id === meId;
  const author = useInbox((state) =>
    message.agent ? state.agents.find((agent) => agent.id === message.agent?.id) : undefined,
  );
  return (
    <li class={`msg ${fromVisitor ? "in" : "out"}${mine ? " mine" : ""}`} data-message-id={message.id}>
      {!fromVisitor && (
        <span class="who">
          {message.agent && (
            <Avatar name={author?.name ?? message.agent.name} url={author?.avatar_url} size={20} />
          )}
          {authorLabel(message, meId)}
        </span>
      )}
      {message.content !== "" && (
        <div class="bubble">
          <LinkedText text={message.content} />
        </div>
      )}
      {message.attachments && message.attachments.length > 0 && <Attachments files={message.attachments} />}
      <span class="meta">
        <time dateTime={message.created_at} title={fullTime(message.created_at)}>
          {relativeTime(message.created_at, now)}
        </time>
        {message.via === "email" && <ByEmail />}
      </span>
    </li>
  );
}

/** (§16) A visitor's answer that came by email: the words, with a decorative envelope. */
export function ByEmail() {
  const t = useT();
  return (
    <span class="via-email">
      <Icon name="mail" />
      {t.byEmail}
    </span>
  );
}

function PendingItem({ pending, onRetry }: { pending: PendingMessage; onRetry: () => void }) {
  const t = useT();
  return (
    <li class={`msg out mine ${pending.state}`} data-client-id={pending.client_id}>
      {pending.content !== "" && <div class="bubble">{pending.content}</div>}
      {pending.attachments && pending.attachments.length > 0 && <Attachments files={pending.attachments} />}
      {pending.files && pending.files.length > 0 && (
        <UploadingFiles
          files={pending.files}
          progress={pending.state === "uploading" ? (pending.progress ?? 0) : undefined}
        />
      )}
      {pending.state === "uploading" ? (
        <span class="meta">{t.uploading(Math.round((pending.progress ?? 0) * 100))}</span>
      ) : pending.state === "sending" ? (
        <span class="meta">{t.sending}</span>
      ) : (
        <span class="meta failed" role="alert">
          {t.notSent(pending.error ?? "")}{" "}
          <button type="button" class="link" onClick={onRetry}>
            {t.retry}
          </button>
        </span>
      )}
    </li>
  );
}
