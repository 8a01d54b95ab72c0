/**
 * A contact's typed attributes (§12) as the panel shows and edits them: one formatted line per
 * value, and the edit form's rows turned back into the PATCH that changes only what changed
 * (`null` removes a key), with the checks the server makes said before asking it.
 */
import { messages } from "../i18n/index.js";
import {
  ATTRIBUTE_KEY_PATTERN,
  MAX_ATTRIBUTE_STRING_LENGTH,
  MAX_CONTACT_ATTRIBUTES,
  type Contact,
  type ContactAttributeValue,
  type UpdateContactRequest,
} from "@parley/protocol";

export type AttributeKind = "text" | "number" | "boolean" | "date";

export interface AttributeRow {
  key: string;
  kind: AttributeKind;
  /** As typed: "true"/"false" for a boolean, YYYY-MM-DD (or a full ISO time) for a date. */
  value: string;
}

export function attributeKind(value: ContactAttributeValue): AttributeKind {
  if (typeof value === "number") return "number";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "object") return "date";
  return "text";
}

/** A value for reading: numbers and dates in the agent's format, booleans as Yes or No. */
export function formatAttribute(value: ContactAttributeValue, locale?: string): string {
  if (typeof value === "number") return value.toLocaleString(locale);
  if (typeof value === "boolean") return value ? messages().yes : messages().no;
  if (typeof value === "object" && value !== null) {
    const at = Date.parse(value.date);
    if (Number.isNaN(at)) return value.date;
    // A bare date is a day, not midnight UTC shown in the agent's zone (which may be the day before).
    return /^\d{4}-\d{2}-\d{2}$/.test(value.date)
      ? new Date(at).toLocaleDateString(locale, { dateStyle: "medium", timeZone: "UTC" })
      : new Date(at).toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
  }
  return String(value);
}

export function attributeRows(attributes: Contact["attributes"]): AttributeRow[] {
  return Object.entries(attributes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({
      key,
      kind: attributeKind(value),
      value: typeof value === "object" ? value.date : String(value),
    }));
}

type Parsed = { value: ContactAttributeValue } | { error: string };

export function parseAttribute(row: AttributeRow): Parsed {
  const text = row.value.trim();
  switch (row.kind) {
    case "number": {
      const number = Number(text);
      return text === "" || !Number.isFinite(number)
        ? { error: `${row.key}: a number, please.` }
        : { value: number };
    }
    case "boolean":
      return text === "true" || text === "false"
        ? { value: text === "true" }
        : { error: `${row.key}: yes or no, please.` };
    case "date":
      return /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text))
        ? { value: { date: text } }
        : { error: `${row.key}: a date, please.` };
    case "text":
      return row.value.length > MAX_ATTRIBUTE_STRING_LENGTH
        ? { error: `${row.key}: at most ${MAX_ATTRIBUTE_STRING_LENGTH} characters.` }
        : { value: row.value };
  }
}

const sameValue = (a: ContactAttributeValue | undefined, b: ContactAttributeValue): boolean =>
  typeof a === "object" && typeof b === "object" ? a.date === b.date : a === b;

/** The attributes part of a PATCH: new and changed keys with their values, removed keys as null. */
export function attributeChanges(
  original: Contact["attributes"],
  rows: readonly AttributeRow[],
): { changes: NonNullable<UpdateContactRequest["attributes"]> } | { error: string } {
  const changes: NonNullable<UpdateContactRequest["attributes"]> = {};
  const kept = new Set<string>();
  for (const row of rows) {
    const key = row.key.trim();
    if (key === "" && row.value.trim() === "") continue;
    if (!ATTRIBUTE_KEY_PATTERN.test(key))
      return { error: `"${key}": keys are 1–50 letters, digits or underscores.` };
    if (kept.has(key)) return { error: `"${key}" is there twice.` };
    kept.add(key);
    const parsed = parseAttribute({ ...row, key });
    if ("error" in parsed) return parsed;
    if (!sameValue(original[key], parsed.value)) changes[key] = parsed.value;
  }
  if (kept.size > MAX_CONTACT_ATTRIBUTES)
    return { error: messages().atMostAttributes(MAX_CONTACT_ATTRIBUTES) };
  for (const key of Object.keys(original)) if (!kept.has(key)) changes[key] = null;
  return { changes };
}

/** A name or email as the field holds it, as the PATCH sends it: blank clears, unchanged is left out. */
export function textChange(current: string | null, typed: string): string | null | undefined {
  const text = typed.trim();
  const next = text === "" ? null : text;
  return next === current ? undefined : next;
}

/** How a contact is named in lists: name, else email, else the site's id, else a number. */
export function contactLabel(contact: Pick<Contact, "id" | "name" | "email" | "external_id">): string {
  return contact.name?.trim() || contact.email || contact.external_id || messages().contactNumber(contact.id);
}
