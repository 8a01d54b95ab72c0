/**
 * The panel's email part (protocol §16), one per panel, above the text box: the entries "Email me
 * the replies" and "Email me a transcript", the card that asks for an address (shown by the
 * visitor, or by the widget when it is time: when.ts), and a line that confirms (`role=status`,
 * so screen readers hear it) or says what went wrong, in words only. Every part is a native
 * form control, so it works with a keyboard and on touch screens alike.
 */
import {
  MAX_EMAIL_LENGTH,
  type ContactDetailsRequest,
  type VisitorTranscriptRequest,
} from "@parley/protocol";
import { fill } from "../locale.js";
import { isEmail } from "../prechat/check.js";
import type { ContactContext } from "../prechat/contract.js";
import { h } from "../ui/dom.js";
import { GIVEN } from "./given.js";
import { post } from "./post.js";
import { MAIL_CSS } from "./styles.js";
import { TEXTS } from "./texts.js";

/** What the card asks an address for: the replies (the contact's email), or one transcript. */
export type Purpose = "replies" | "transcript";

export interface Entries {
  /** The context of the latest call: the token may have changed (identify, resume). */
  context: ContactContext;
  /** Shows the card (again); `focus`: the visitor asked for it, so the address field takes focus. */
  open(purpose: Purpose, focus: boolean): void;
  /** Hides "Email me the replies" once an address is given. */
  update(): void;
}

const shown = new WeakMap<HTMLElement, Entries>();

/** The entries in `context.slot`, drawn there on first call. */
export function entriesIn(context: ContactContext): Entries {
  const entries = shown.get(context.slot) ?? draw(context);
  entries.context = context;
  entries.update();
  return entries;
}

/** What a refused request says, as the key of its words. */
export function problemOf(status: number): "off" | "tooMany" | "failed" {
  return status === 409 ? "off" : status === 429 ? "tooMany" : "failed";
}

function draw(first: ContactContext): Entries {
  const texts = TEXTS[first.locale];
  let purpose: Purpose = "replies";
  const ok = (status: number): boolean => status > 199 && status < 300;

  const said = h("p", { role: "status" });
  const dismiss = h(
    "button",
    { type: "button", class: "k", hidden: true, onclick: () => say("") },
    texts.dismiss,
  );
  const say = (text: string): void => {
    said.textContent = text;
    dismiss.hidden = !text;
  };

  const label = h("label", { for: "me" });
  const error = h("p", { id: "me-e", class: "me", role: "alert" });
  const input = h("input", {
    id: "me",
    type: "email",
    autocomplete: "email",
    maxlength: String(MAX_EMAIL_LENGTH),
    "aria-describedby": "me-e",
  });
  const send = h("button", { type: "submit", class: "ok" }, texts.send);
  const wrong = (text: string): void => {
    error.textContent = text;
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };
  const close = (): void => {
    // Focus was in the card: it goes to the line that says what happened.
    const inside = form.contains((form.getRootNode() as Document | ShadowRoot).activeElement);
    form.hidden = true;
    entries.update();
    if (inside) (dismiss.hidden ? transcript : dismiss).focus();
  };

  const submit = async (): Promise<void> => {
    const email = input.value.trim();
    if (!isEmail(email)) {
      wrong(texts.invalid);
      return input.focus();
    }
    wrong("");
    const { token, site, locale } = entries.context;
    send.disabled = true;
    const asked = purpose;
    const { status } =
      asked === "replies"
        ? await post(entries.context.origin, "contact", {
            token,
            site,
            email,
            locale,
          } satisfies ContactDetailsRequest)
        : await post(entries.context.origin, "transcript", {
            token,
            site,
            email,
          } satisfies VisitorTranscriptRequest);
    send.disabled = false;
    // The server's check of the address is the last word.
    if (status === 400) {
      wrong(texts.invalid);
      return input.focus();
    }
    if (!ok(status)) return wrong(texts[problemOf(status)]);
    // A transcript's address is saved on the contact too: the replies go there as well.
    entries.context.storage.set(GIVEN, "1");
    say(fill(asked === "replies" ? texts.saved : texts.transcriptSent, { email }));
    close();
  };

  const form = h(
    "form",
    {
      novalidate: true,
      hidden: true,
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        if (!send.disabled) void submit();
      },
    },
    label,
    h("div", { class: "mr" }, input, send),
    error,
    h(
      "button",
      {
        type: "button",
        class: "k",
        onclick: () => {
          // Declining the widget's own ask: it does not ask again by itself.
          const { storage } = entries.context;
          if (purpose === "replies" && !storage.get(GIVEN)) storage.set(GIVEN, "0");
          close();
        },
      },
      texts.noThanks,
    ),
  );

  const replies = h(
    "button",
    { type: "button", class: "k", onclick: () => entries.open("replies", true) },
    texts.replies,
  );
  const transcript = h(
    "button",
    {
      type: "button",
      class: "k",
      onclick: () => {
        const { origin, token, site } = entries.context;
        transcript.disabled = true;
        void post(origin, "transcript", { token, site } satisfies VisitorTranscriptRequest).then(
          ({ status }) => {
            transcript.disabled = false;
            // No address on the contact yet: the card asks for one.
            if (status === 422) entries.open("transcript", true);
            else say(ok(status) ? texts.transcriptSentKnown : texts[problemOf(status)]);
          },
        );
      },
    },
    texts.transcript,
  );

  const entries: Entries = {
    context: first,
    open(next, focus) {
      // The widget's own ask never disturbs a card the visitor is filling in.
      if (!focus && !form.hidden) return;
      purpose = next;
      label.textContent = next === "replies" ? texts.ask : texts.askTranscript;
      wrong("");
      form.hidden = false;
      entries.update();
      if (focus) input.focus();
    },
    update() {
      replies.hidden = !form.hidden || entries.context.storage.get(GIVEN) === "1";
    },
  };
  first.slot.append(
    h(
      "div",
      { class: "ml" },
      h("style", {}, MAIL_CSS),
      form,
      h("div", { class: "mo" }, said, dismiss),
      h("div", { class: "mb" }, replies, transcript),
    ),
  );
  shown.set(first.slot, entries);
  return entries;
}
