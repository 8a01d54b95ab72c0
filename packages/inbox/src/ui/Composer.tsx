/**
 * The reply box. Enter sends, Shift+Enter starts a new line (and Enter while an input method is
 * composing is left to it). Drafts are kept per conversation while the page is open. The
 * paperclip picks files and a pasted image is attached; they go out as their own message.
 */
import { ALLOWED_UPLOAD_TYPES, MAX_MESSAGE_LENGTH } from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { Icon } from "./Icon.js";
import { useStore } from "./useInbox.js";

const drafts = new Map<number, string>();
const MAX_HEIGHT_PX = 180;

export function Composer(props: { conversationId: number; closed: boolean }) {
  const { conversationId } = props;
  const store = useStore();
  const [text, setText] = useState(drafts.get(conversationId) ?? "");
  const field = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);

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

  const onPaste = (event: JSX.TargetedClipboardEvent<HTMLTextAreaElement>): void => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    store.attach(conversationId, files);
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
      <button
        type="button"
        class="ghost attach"
        aria-label="Attach files"
        title="Attach files"
        onClick={() => picker.current?.click()}
      >
        <Icon name="clip" />
      </button>
      <textarea
        ref={field}
        rows={1}
        aria-label="Reply"
        placeholder={props.closed ? "This conversation is closed; you can still reply." : "Write a reply…"}
        maxLength={MAX_MESSAGE_LENGTH}
        value={text}
        onInput={(event) => update(event.currentTarget.value)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        onBlur={() => store.typing(conversationId, false)}
      />
      <button type="submit" class="primary" disabled={text.trim() === ""}>
        Send
      </button>
      <p class="hint">Enter to send · Shift+Enter for a new line · Paste or drop files to attach</p>
    </form>
  );
}
