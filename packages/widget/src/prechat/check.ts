/** What is wrong with a pre-chat field's value, as the key of the words that say so; none: fine. */
import { MAX_EMAIL_LENGTH } from "@parley/protocol";

export type Field = "name" | "email";
export type Problem = "nameMissing" | "emailMissing" | "emailInvalid";

/** As the server checks them: one `@`, a dotted domain, no spaces. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function isEmail(text: string): boolean {
  return text.length <= MAX_EMAIL_LENGTH && EMAIL_SHAPE.test(text);
}

/** `value` is trimmed. An optional field may be empty; an email given must look like one. */
export function problemOf(field: Field, value: string, required: boolean): Problem | undefined {
  if (!value) return required ? `${field}Missing` : undefined;
  return field === "email" && !isEmail(value) ? "emailInvalid" : undefined;
}
