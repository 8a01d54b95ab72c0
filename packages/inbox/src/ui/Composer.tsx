/**
 * The reply box. Enter sends, Shift+Enter starts a new line (and Enter while an input method is
 * composing is left to it). Drafts are kept per conversation while the page is open.
 */
import { MAX_MESSAGE_LENGTH } from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useStore } from "./useInbox.js";

const drafts = new Map<number, string>();
const MAX_HEIGHT_PX = 180;

export function Composer(props: { conversationId: number; closed: boolean }) {
  const { conversationId } = props;
  const store = useStore();
  const [text, setText] = useState(drafts.get(conversationId) ?? "");
  const field = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setText(drafts.get(conversationId) ?? "");
    field.current?.focus();
  }, [conversationId]);

  useEffect(() => {
    // Grows with its text up to a limit (set through the CSSOM, which the page's CSP allows).
    const element = field.current;
    if (!element) return;
    element.style.height = "auto";
    element.style.height = `${Math.min(element.scrollHeight + 2, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const update = (value: string): void => {
    setText(value);
    drafts.set(conversationId, value);
    store.typing(conversationId, value.trim() !== "");
  };

  const send = (): void => {
    if (store.send(conversationId, text)) update("");
  };

  const onKeyDown = (event: JSX.TargetedKeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        ref={field}
        rows={1}
        aria-label="Reply"
        placeholder={props.closed ? "This conversation is closed; you can still reply." : "Write a reply…"}
        maxLength={MAX_MESSAGE_LENGTH}
        value={text}
        onInput={(event) => update(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        onBlur={() => store.typing(conversationId, false)}
      />
      <button type="submit" class="primary" disabled={text.trim() === ""}>
        Send
      </button>
      <p class="hint">Enter to send · Shift+Enter for a new line</p>
    </form>
  );
}
