/**
 * What a contact's fields must be (protocol §12): ids, emails, names and typed attributes, as
 * sent by a site's page (identify), a visitor (the pre-chat form) or an agent. Each check
 * returns the clean value or throws a ChatError whose text names the field.
 */
import {
  ATTRIBUTE_KEY_PATTERN,
  MAX_ATTRIBUTE_STRING_LENGTH,
  MAX_CONTACT_ATTRIBUTES,
  MAX_CONTACT_NAME_LENGTH,
  MAX_EMAIL_LENGTH,
  MAX_EXTERNAL_ID_LENGTH,
  type ContactAttributeValue,
} from "@parley/protocol";
import { invalid } from "./errors.js";
import { plainName, plainText } from "./validate.js";

/** The site's user id, as the hash signs it: never altered, so control characters are refused. */
export function externalId(value: unknown): string {
  if (
    typeof value !== "string" ||
    value.length === 0 ||
    [...value].length > MAX_EXTERNAL_ID_LENGTH ||
    /\p{Cc}/u.test(value) ||
    value.trim() !== value
  ) {
    throw invalid(
      `id must be 1-${MAX_EXTERNAL_ID_LENGTH} characters, without control characters or outer spaces`,
    );
  }
  return value;
}

/** One `@`, a dotted domain, no white space. Blank: null (none). */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/u;

export function email(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw invalid("Email must be text");
  const trimmed = plainText(value).trim();
  if (trimmed === "") return null;
  if (trimmed.length > MAX_EMAIL_LENGTH) throw invalid(`Email too long (max ${MAX_EMAIL_LENGTH})`);
  if (!EMAIL.test(trimmed)) throw invalid(`"${trimmed.slice(0, 80)}" is not an email address`);
  return trimmed;
}

/** A BCP 47 language tag's shape (`fr`, `pt-BR`, `zh-Hant-TW`), at most 35 characters (§16). */
const LOCALE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/;
export const MAX_LOCALE_LENGTH = 35;

/** The widget's language, kept as given; emails pick en, fr or ja from it. */
export function locale(value: unknown): string {
  if (typeof value !== "string" || value.length > MAX_LOCALE_LENGTH || !LOCALE.test(value))
    throw invalid(
      `locale must be a language tag like "fr" or "pt-BR" (at most ${MAX_LOCALE_LENGTH} characters)`,
    );
  return value;
}

/** A name as in §3 (one line, plain), up to MAX_CONTACT_NAME_LENGTH. Blank: null. */
export function contactName(value: unknown): string | null {
  if (value === null) return null;
  if (typeof value !== "string") throw invalid("Name must be text");
  const name = plainName(value);
  if ([...name].length > MAX_CONTACT_NAME_LENGTH)
    throw invalid(`Name too long (max ${MAX_CONTACT_NAME_LENGTH})`);
  return name === "" ? null : name;
}

/** ISO 8601: a date, or a date and time with an optional zone. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function attributeValue(key: string, value: unknown): ContactAttributeValue {
  if (typeof value === "string") {
    const text = plainText(value);
    if ([...text].length > MAX_ATTRIBUTE_STRING_LENGTH)
      throw invalid(`Attribute "${key}": text too long (max ${MAX_ATTRIBUTE_STRING_LENGTH})`);
    return text;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw invalid(`Attribute "${key}": numbers must be finite`);
    return value;
  }
  if (typeof value === "boolean") return value;
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const entries = Object.keys(value);
    const date = (value as { date?: unknown }).date;
    if (
      entries.length === 1 &&
      typeof date === "string" &&
      ISO_DATE.test(date) &&
      !Number.isNaN(Date.parse(date))
    ) {
      return { date };
    }
    throw invalid(`Attribute "${key}": an object must be {"date": "<ISO 8601 date>"}`);
  }
  throw invalid(`Attribute "${key}": must be text, a number, true/false or {"date": "…"} (null removes it)`);
}

/** A patch of attributes, checked: each value clean, or null (remove the key). */
export function attributePatch(value: unknown): Record<string, ContactAttributeValue | null> {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw invalid("attributes must be an object");
  const entries = Object.entries(value);
  if (entries.length > MAX_CONTACT_ATTRIBUTES)
    throw invalid(`Too many attributes (max ${MAX_CONTACT_ATTRIBUTES})`);
  // fromEntries defines own properties: a key such as "__proto__" stays a plain key.
  return Object.fromEntries(
    entries.map(([key, entry]: [string, unknown]) => {
      if (!ATTRIBUTE_KEY_PATTERN.test(key))
        throw invalid(`Attribute "${key.slice(0, 60)}": keys are 1-50 of A-Z, a-z, 0-9 and _`);
      return [key, entry === null ? null : attributeValue(key, entry)];
    }),
  );
}

/** `current` with the patch applied (null removes); more than MAX_CONTACT_ATTRIBUTES keys is refused. */
export function withAttributes(
  current: Readonly<Record<string, ContactAttributeValue>>,
  patch: Readonly<Record<string, ContactAttributeValue | null>>,
): Record<string, ContactAttributeValue> {
  const next = new Map(Object.entries(current));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) next.delete(key);
    else next.set(key, value);
  }
  if (next.size > MAX_CONTACT_ATTRIBUTES)
    throw invalid(`Too many attributes (max ${MAX_CONTACT_ATTRIBUTES} per contact)`);
  return Object.fromEntries(next);
}
