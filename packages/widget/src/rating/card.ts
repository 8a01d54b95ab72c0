/**
 * The rating card (protocol §18), one per panel, above the text box: five native radio buttons
 * in a fieldset whose legend asks the question (each an emoji with its meaning for screen
 * readers and as a tooltip), an optional comment, Send; then the thanks, in a `role=status` line
 * that screen readers hear. A new request (the conversation resolved again) shows the card again.
 */
import { MAX_RATING_COMMENT_LENGTH } from "@parley/protocol";
import { h } from "../ui/dom.js";
import type { RatingChunk, RatingEvent, SendRating } from "./contract.js";
import { RATING_CSS } from "./styles.js";
import { TEXTS } from "./texts.js";

const EMOJI = ["😞", "😟", "😐", "😊", "😄"];
/** No `rated` by then: the server refused (or the line dropped); the visitor may try again. */
const ANSWER_MS = 10_000;

interface Card {
  send: SendRating;
  show(event: RatingEvent): void;
}

const cards = new WeakMap<HTMLElement, Card>();

export const rating: RatingChunk = (context, event, send) => {
  let card = cards.get(context.slot);
  if (!card) {
    // A tab that never showed the card has nothing to thank for.
    if (event.type === "rated") return;
    card = draw(context.slot, context.locale, send);
    cards.set(context.slot, card);
  }
  card.send = send;
  card.show(event);
};

function draw(slot: HTMLElement, locale: keyof typeof TEXTS, first: SendRating): Card {
  const texts = TEXTS[locale];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const said = h("p", { role: "status" });
  const error = h("p", { id: "rt-e", class: "re", role: "alert" });
  const comment = h("textarea", {
    id: "rt-c",
    rows: "2",
    maxlength: String(MAX_RATING_COMMENT_LENGTH),
  });
  const button = h("button", { type: "submit", class: "ok" }, texts.send);
  const choices = texts.scores.map((meaning, index) =>
    h(
      "label",
      { title: meaning },
      h("input", { type: "radio", name: "rs", value: String(index + 1), "aria-describedby": "rt-e" }),
      h("span", { "aria-hidden": "true" }, EMOJI[index]),
      h("span", { class: "sr" }, meaning),
    ),
  );
  const form = h(
    "form",
    {
      // A choice made: the refusal has said its piece.
      onchange: () => (error.textContent = ""),
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        const picked = form.querySelector<HTMLInputElement>("input:checked");
        if (!picked) {
          error.textContent = texts.choose;
          form.querySelector("input")?.focus();
          return;
        }
        error.textContent = "";
        button.disabled = true;
        card.send({ score: Number(picked.value), comment: comment.value.trim() || null });
        clearTimeout(timer);
        timer = setTimeout(() => {
          button.disabled = false;
          error.textContent = texts.failed;
        }, ANSWER_MS);
      },
    },
    h("fieldset", {}, h("legend", { id: "rt-q" }, texts.ask), h("div", { class: "rs" }, ...choices)),
    h("label", { for: "rt-c" }, texts.comment),
    comment,
    error,
    button,
  );
  const box = h(
    "div",
    { class: "rt", role: "region", "aria-labelledby": "rt-q" },
    h("style", {}, RATING_CSS),
    form,
    said,
  );
  slot.append(box);
  const card: Card = {
    send: first,
    show(event) {
      if (event.type === "rated") {
        clearTimeout(timer);
        form.remove();
        box.removeAttribute("aria-labelledby");
        said.textContent = texts.thanks;
      } else if (!form.isConnected) {
        // Asked again: a fresh card.
        form.reset();
        button.disabled = false;
        error.textContent = said.textContent = "";
        box.setAttribute("aria-labelledby", "rt-q");
        said.before(form);
      }
    },
  };
  return card;
}
