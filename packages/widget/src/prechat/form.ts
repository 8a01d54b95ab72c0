/**
 * The pre-chat form (protocol §12): the name and/or email the site asks before the first message.
 * The message the visitor wrote waits in the text box; once the details are saved, `done` sends
 * it. The form checks fields itself (`novalidate`), so that what it says is in the widget's
 * language rather than the browser's: each field is labelled, a required one is marked and
 * `aria-required`, and a wrong one is `aria-invalid` with its message as its description, and
 * gets the focus.
 */
import { MAX_EMAIL_LENGTH, MAX_VISITOR_NAME_LENGTH, type PrechatSettings } from "@parley/protocol";
import { h } from "../ui/dom.js";
import { GIVEN } from "../mail/given.js";
import { problemOf, type Field, type Problem } from "./check.js";
import type { ContactContext, Done } from "./contract.js";
import { postContact } from "./post.js";
import { CONTACT_CSS } from "./styles.js";
import { TEXTS } from "./texts.js";

interface Row {
  field: Field;
  required: boolean;
  input: HTMLInputElement;
  error: HTMLParagraphElement;
}

export function prechatForm(
  context: ContactContext,
  settings: PrechatSettings,
  name: string | null,
  done: Done,
): void {
  const { slot } = context;
  const shown = slot.querySelector(".pf");
  if (shown) {
    shown.querySelector<HTMLInputElement>("[aria-invalid=true],input")?.focus();
    return;
  }
  const texts = TEXTS[context.locale];
  const rows: Row[] = [];
  for (const field of ["name", "email"] as const) {
    const asked = settings[field];
    if (asked !== "optional" && asked !== "required") continue;
    const required = asked === "required";
    const id = `pf-${field}`;
    const error = h("p", { id: `${id}-e`, class: "pe", hidden: true });
    const input = h("input", {
      id,
      type: field === "email" ? "email" : "text",
      autocomplete: field,
      maxlength: String(field === "email" ? MAX_EMAIL_LENGTH : MAX_VISITOR_NAME_LENGTH),
      required,
      "aria-describedby": error.id,
    });
    if (field === "name" && name) input.value = name;
    rows.push({ field, required, input, error });
  }
  // A site whose settings ask nothing this widget knows: nothing to ask.
  if (!rows[0]) return done(null);

  const failure = h("p", { class: "pe", role: "alert" });
  const button = h("button", { type: "submit", class: "ok" }, texts.start);
  const show = (row: Row, problem: Problem | undefined): void => {
    row.error.textContent = problem ? texts[problem] : "";
    row.error.hidden = !problem;
    if (problem) row.input.setAttribute("aria-invalid", "true");
    else row.input.removeAttribute("aria-invalid");
  };

  const submit = async (): Promise<void> => {
    const details: { name?: string; email?: string } = {};
    let wrong: HTMLInputElement | undefined;
    for (const row of rows) {
      const value = row.input.value.trim();
      const problem = problemOf(row.field, value, row.required);
      show(row, problem);
      if (problem) wrong ??= row.input;
      else if (value) details[row.field] = value;
    }
    if (wrong) return wrong.focus();
    failure.textContent = "";
    if (details.name || details.email) {
      button.disabled = true;
      const status = await postContact(context, details);
      button.disabled = false;
      const email = rows.find((row) => row.field === "email");
      // The server's check of the email is the last word (its one 400 a checked form can get).
      if (status === 400 && email && details.email) {
        show(email, "emailInvalid");
        return email.input.focus();
      }
      if (status < 200 || status > 299) {
        failure.textContent = texts.failed;
        return;
      }
      // The replies can go by email: the widget does not ask for an address again.
      if (details.email) context.storage.set(GIVEN, "1");
    }
    form.remove();
    done(details.name ?? null);
  };

  const form = h(
    "form",
    {
      class: "pf",
      novalidate: true,
      "aria-labelledby": "pf-t",
      onsubmit: (event: SubmitEvent) => {
        event.preventDefault();
        if (!button.disabled) void submit();
      },
    },
    h("style", {}, CONTACT_CSS),
    h("p", { id: "pf-t" }, texts.intro),
    rows.some((row) => row.required) && h("p", {}, texts.requiredNote),
    ...rows.flatMap(({ field, required, input, error }) => [
      h("label", { for: input.id }, texts[field], required && h("span", { "aria-hidden": "true" }, " *")),
      input,
      error,
    ]),
    failure,
    button,
  );
  slot.append(form);
  rows[0].input.focus();
}
