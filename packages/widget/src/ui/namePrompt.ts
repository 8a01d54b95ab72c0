/** The soft ask for a name, shown once after the first message; skipping it is one click. */
import { MAX_VISITOR_NAME_LENGTH } from "@parley/protocol";
import type { Strings } from "../i18n.js";
import { h } from "./dom.js";

export function namePrompt(strings: Strings, save: (name: string) => void, dismiss: () => void): HTMLElement {
  const label = h("label", { for: "pn" }, strings.askName);
  const input = h("input", {
    id: "pn",
    autocomplete: "name",
    maxlength: String(MAX_VISITOR_NAME_LENGTH),
    placeholder: strings.namePlaceholder,
  });
  const form = h(
    "form",
    {
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        const name = input.value.trim();
        if (name) save(name);
      },
    },
    input,
    h("button", { type: "submit", class: "ok" }, strings.save),
    h("button", { type: "button", class: "k", onclick: dismiss }, strings.noThanks),
  );
  return h("div", { class: "ask" }, label, form);
}
