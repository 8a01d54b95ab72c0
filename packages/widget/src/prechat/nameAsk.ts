/**
 * The soft ask for a name, shown once after the first message; skipping it is one click. A name
 * given goes to the visitor's contact (and, through the app, with their next messages).
 */
import { MAX_VISITOR_NAME_LENGTH } from "@parley/protocol";
import { h } from "../ui/dom.js";
import type { ContactContext, Done } from "./contract.js";
import { postContact } from "./post.js";
import { CONTACT_CSS } from "./styles.js";
import { TEXTS } from "./texts.js";

export function askName(context: ContactContext, done: Done): void {
  const { slot } = context;
  if (slot.querySelector(".ask")) return;
  const texts = TEXTS[context.locale];
  const input = h("input", {
    id: "pn",
    autocomplete: "name",
    maxlength: String(MAX_VISITOR_NAME_LENGTH),
    placeholder: texts.namePlaceholder,
  });
  const ask: HTMLDivElement = h(
    "div",
    { class: "ask" },
    h("style", {}, CONTACT_CSS),
    h("label", { for: "pn" }, texts.askName),
    h(
      "form",
      {
        onsubmit: (event: SubmitEvent) => {
          event.preventDefault();
          const name = input.value.trim();
          if (!name) return;
          ask.remove();
          // Best effort: the name also goes with the visitor's next message.
          void postContact(context, { name });
          done(name);
        },
      },
      input,
      h("button", { type: "submit", class: "ok" }, texts.save),
      h(
        "button",
        {
          type: "button",
          class: "k",
          onclick: () => {
            ask.remove();
            done(null);
          },
        },
        texts.noThanks,
      ),
    ),
  );
  slot.append(ask);
}
