/**
 * The text box: Enter sends, Shift+Enter adds a line, and an Enter that confirms an IME
 * composition (Japanese, Chinese…) does neither. The paperclip picks files and a pasted image is
 * attached; both go to `files`, which uploads them (see ../uploads).
 */
import { ALLOWED_UPLOAD_TYPES, MAX_MESSAGE_LENGTH } from "@parley/protocol";
import type { Strings } from "../i18n.js";
import { CLIP_ICON, SEND_ICON } from "./dom.js";
import { h, icon } from "./kit.js";

export interface ComposerHandlers {
  /** False: not sent yet (the pre-chat form asks first), so the text stays in the box. */
  send(text: string): boolean;
  typing(active: boolean): void;
  files(files: File[]): void;
}

export function composer(
  strings: Strings,
  handlers: ComposerHandlers,
): { form: HTMLFormElement; input: HTMLTextAreaElement; submit: () => void } {
  const input = h("textarea", {
    rows: "1",
    maxlength: String(MAX_MESSAGE_LENGTH),
    placeholder: strings.placeholder,
    "aria-label": strings.message,
  });
  const grow = (): void => {
    input.style.height = "";
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`;
  };
  const submit = (): void => {
    const text = input.value.trim();
    if (!text || !handlers.send(text)) return;
    input.value = "";
    grow();
    input.focus();
  };
  input.addEventListener("input", () => {
    grow();
    handlers.typing(input.value.trim() !== "");
  });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    submit();
  });
  input.addEventListener("blur", () => handlers.typing(false));
  input.addEventListener("paste", (event) => {
    const files = [...(event.clipboardData?.files ?? [])];
    if (!files[0]) return;
    event.preventDefault();
    handlers.files(files);
  });
  const picker = h("input", {
    type: "file",
    multiple: true,
    hidden: true,
    accept: ALLOWED_UPLOAD_TYPES.join(),
    onchange: () => {
      handlers.files([...(picker.files ?? [])]);
      // The same file may be picked again.
      picker.value = "";
    },
  });
  const form = h(
    "form",
    {
      class: "c",
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        submit();
      },
    },
    picker,
    h(
      "button",
      {
        type: "button",
        class: "pc",
        "aria-label": strings.attach,
        title: strings.attach,
        onclick: () => picker.click(),
      },
      icon(CLIP_ICON),
    ),
    input,
    h(
      "button",
      { type: "submit", class: "send", "aria-label": strings.send, title: strings.send },
      icon(SEND_ICON),
    ),
  );
  return { form, input, submit };
}
