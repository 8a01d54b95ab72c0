/**
 * The reply box. Enter sends, Shift+Enter starts a new line (and Enter while an input method is
 * composing is left to it). Drafts are kept per conversation (and per mode) while the page is
 * open. The paperclip picks files and a pasted image is attached; they go out as their own
 * message.
 *
 * (§15) A Reply / Note switch: a note is private (never sent to the visitor) and looks it. In a
 * reply, `/` at the start opens the canned replies; in a note, `@` opens the site's agents. Both
 * lists work by keyboard alone. The emoji button inserts at the caret.
 */
import { useT } from "../i18n/index.js";
import {
  ALLOWED_UPLOAD_TYPES,
  MAX_MESSAGE_LENGTH,
  MAX_NOTE_LENGTH,
  type CannedReply,
} from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { cannedApi } from "../api/canned.js";
import { cannedPreview, fillVariables, filterCanned, slashQuery } from "../state/canned.js";
import { filterAgents, insertMention, mentionAt } from "../state/mentions.js";
import { agentsOfSite } from "../state/siteAgents.js";
import { EmojiPicker } from "./EmojiPicker.js";
import { Icon } from "./Icon.js";
import { listKey, optionId, Suggestions } from "./Suggestions.js";
import { useInbox, useStore } from "./useInbox.js";
import "./workflow.css";

export type ComposerMode = "reply" | "note";

const drafts = new Map<string, string>();
const lastMode = new Map<number, ComposerMode>();
const MAX_HEIGHT_PX = 180;
const CANNED_LIST = "canned-list";
const MENTION_LIST = "mention-list";

const draftKey = (conversationId: number, mode: ComposerMode): string => `${conversationId}:${mode}`;

export function Composer(props: { conversationId: number; closed: boolean }) {
  const { conversationId } = props;
  const store = useStore();
  const [mode, setModeState] = useState<ComposerMode>(lastMode.get(conversationId) ?? "reply");
  const [text, setText] = useState(drafts.get(draftKey(conversationId, mode)) ?? "");
  const [caret, setCaret] = useState(text.length);
  const [active, setActive] = useState(0);
  /** The text at which the agent closed a list with Esc: it stays closed until the next edit. */
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [canned, setCanned] = useState<readonly CannedReply[] | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);

  const conversation = useInbox((state) => state.conversations.get(conversationId));
  const me = useInbox((state) => state.me);
  const site = useInbox((state) => state.sites.find((s) => s.id === conversation?.site_id));
  const agents = useInbox((state) => state.agents);
  const siteId = conversation?.site_id;
  const note = mode === "note";

  useEffect(() => {
    field.current?.focus();
  }, [conversationId]);

  useEffect(() => {
    if (siteId === undefined) return;
    let live = true;
    cannedApi.list(siteId).then(
      ({ canned_replies }) => live && setCanned(canned_replies),
      () => live && setCanned([]),
    );
    return () => {
      live = false;
    };
  }, [siteId]);

  useEffect(() => {
    // Grows with its text up to a limit (set through the CSSOM, which the page's CSP allows).
    const element = field.current;
    if (!element) return;
    element.style.height = "auto";
    element.style.height = `${Math.min(element.scrollHeight + 2, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const slash = !note && dismissed !== text ? slashQuery(text) : null;
  const mention = note && dismissed !== text ? mentionAt(text, caret) : null;
  const cannedItems = useMemo(
    () => (slash === null || canned === null ? [] : filterCanned(canned, slash)),
    [slash, canned],
  );
  const mentionItems = useMemo(
    () => (mention === null ? [] : filterAgents(agentsOfSite(agents, site), mention.query)),
    [mention?.query, agents, site],
  );
  const listOpen = slash !== null ? "canned" : mention !== null ? "mention" : null;
  const count = listOpen === "canned" ? cannedItems.length : mentionItems.length;
  const activeIndex = Math.min(active, Math.max(count - 1, 0));

  const update = (value: string, at = value.length): void => {
    setText(value);
    setCaret(at);
    setActive(0);
    // Any edit opens the lists again.
    setDismissed(null);
    drafts.set(draftKey(conversationId, mode), value);
    // Typing is shown to the visitor: only for replies.
    if (!note) store.typing(conversationId, value.trim() !== "");
  };

  const setMode = (next: ComposerMode): void => {
    if (next === mode) return;
    if (mode === "reply") store.typing(conversationId, false);
    lastMode.set(conversationId, next);
    setModeState(next);
    const draft = drafts.get(draftKey(conversationId, next)) ?? "";
    setText(draft);
    setCaret(draft.length);
    setDismissed(null);
    field.current?.focus();
  };

  const placeCaret = (at: number): void => {
    requestAnimationFrame(() => {
      const element = field.current;
      if (!element) return;
      element.focus();
      element.setSelectionRange(at, at);
      setCaret(at);
    });
  };

  const insertText = (value: string): void => {
    const element = field.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + value + text.slice(end);
    update(next, start + value.length);
    placeCaret(start + value.length);
  };

  const pickCanned = (reply: CannedReply): void => {
    const filled = fillVariables(reply.content, {
      visitorName: conversation?.visitor_name ?? null,
      agentName: me.name,
      siteName: site?.name ?? null,
    });
    update(filled);
    placeCaret(filled.length);
  };

  const pickMention = (username: string): void => {
    if (mention === null) return;
    const next = insertMention(text, mention, caret, username);
    update(next.text, next.caret);
    placeCaret(next.caret);
  };

  const send = (): void => {
    if (note) {
      if (store.notes.add(conversationId, text)) update("");
    } else if (store.send(conversationId, text)) update("");
  };

  const onPaste = (event: JSX.TargetedClipboardEvent<HTMLTextAreaElement>): void => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0 || note) return;
    event.preventDefault();
    store.attach(conversationId, files);
  };

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLTextAreaElement>): void => {
    if (listOpen !== null && !event.isComposing && !event.shiftKey) {
      const handled = listKey(event.key, count, activeIndex, {
        move: setActive,
        pick: () => {
          if (listOpen === "canned") {
            const reply = cannedItems[activeIndex];
            if (reply) pickCanned(reply);
          } else {
            const agent = mentionItems[activeIndex];
            if (agent) pickMention(agent.username);
          }
        },
        close: () => setDismissed(text),
      });
      if (handled) {
        event.preventDefault();
        // Esc here closes the list, not a dialog or the conversation.
        event.stopPropagation();
        return;
      }
    }
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    } else if (event.key === "Escape" && !event.isComposing) {
      // Out of the box (the draft stays): the letter shortcuts work again.
      event.currentTarget.blur();
    }
  };

  const t = useT();
  const listId = listOpen === "canned" ? CANNED_LIST : MENTION_LIST;
  return (
    <form
      class={`composer${note ? " note-mode" : ""}`}
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <div class="composer-modes" role="group" aria-label={t.replyOrNote}>
        <button type="button" aria-pressed={!note} onClick={() => setMode("reply")}>
          {t.reply}
        </button>
        <button type="button" aria-pressed={note} onClick={() => setMode("note")}>
          {t.note}
        </button>
        {note && (
          <p class="note-banner" id="note-banner">
            {t.noteBanner}
          </p>
        )}
      </div>
      <div class="composer-row">
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          accept={ALLOWED_UPLOAD_TYPES.join(",")}
          onChange={(event) => {
            const input = event.currentTarget;
            store.attach(conversationId, [...(input.files ?? [])]);
            // The same file may be picked again.
            input.value = "";
          }}
        />
        {!note && (
          <button
            type="button"
            class="ghost attach"
            aria-label={t.attachFiles}
            title={t.attachFiles}
            onClick={() => picker.current?.click()}
          >
            <Icon name="clip" />
          </button>
        )}
        <EmojiPicker onPick={insertText} />
        <div class="composer-field">
          {listOpen === "canned" && (
            <Suggestions
              id={CANNED_LIST}
              label={t.cannedReplies}
              items={cannedItems}
              active={activeIndex}
              keyOf={(reply) => reply.id}
              empty={canned === null ? t.loadingCanned : t.noCannedMatch}
              render={(reply) => (
                <>
                  <span class="suggest-key">/{reply.shortcut}</span>
                  <span class="suggest-text">{cannedPreview(reply.content)}</span>
                </>
              )}
              onPick={pickCanned}
            />
          )}
          {listOpen === "mention" && (
            <Suggestions
              id={MENTION_LIST}
              label={t.agents}
              items={mentionItems}
              active={activeIndex}
              keyOf={(agent) => agent.id}
              empty={t.noAgentMatch}
              render={(agent) => (
                <>
                  <span class="suggest-key">@{agent.username}</span>
                  <span class="suggest-text">{agent.name}</span>
                </>
              )}
              onPick={(agent) => pickMention(agent.username)}
            />
          )}
          <textarea
            ref={field}
            rows={1}
            aria-label={note ? t.privateNote : t.reply}
            aria-describedby={note ? "note-banner" : undefined}
            aria-autocomplete="list"
            aria-controls={listOpen !== null && count > 0 ? listId : undefined}
            aria-activedescendant={listOpen !== null && count > 0 ? optionId(listId, activeIndex) : undefined}
            placeholder={note ? t.notePlaceholder : props.closed ? t.closedPlaceholder : t.replyPlaceholder}
            maxLength={note ? MAX_NOTE_LENGTH : MAX_MESSAGE_LENGTH}
            value={text}
            onInput={(event) => update(event.currentTarget.value, event.currentTarget.selectionStart)}
            onKeyUp={(event) => setCaret(event.currentTarget.selectionStart)}
            onClick={(event) => setCaret(event.currentTarget.selectionStart)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
            onBlur={() => {
              if (!note) store.typing(conversationId, false);
            }}
          />
        </div>
        <button type="submit" class="primary" disabled={text.trim() === ""}>
          {note ? t.addNote : t.send}
        </button>
      </div>
      <p class="hint">{note ? t.noteHint : t.replyHint}</p>
    </form>
  );
}
