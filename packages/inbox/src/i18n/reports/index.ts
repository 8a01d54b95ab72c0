/**
 * The Reports page's words, beside the inbox's: the page reads both through one object, in the
 * language the inbox is in. They live here rather than in the main dictionaries so that only
 * the page's chunk carries them.
 */
import { DICTIONARIES, useLocale, type Locale, type Messages } from "../index.js";
import { reportsEn, type ReportsMessages } from "./en.js";
import { reportsFr } from "./fr.js";
import { reportsJa } from "./ja.js";

export type { ReportsMessages } from "./en.js";
export type ReportsT = Messages & ReportsMessages;

export const REPORTS_DICTIONARIES: Record<Locale, ReportsMessages> = {
  en: reportsEn,
  fr: reportsFr,
  ja: reportsJa,
};

const merged = new Map<Locale, ReportsT>();

/** The inbox's words and the page's, in the current language (one object per language, kept). */
export function useReportsT(): ReportsT {
  const locale = useLocale();
  let words = merged.get(locale);
  if (words === undefined) {
    words = { ...DICTIONARIES[locale], ...REPORTS_DICTIONARIES[locale] };
    merged.set(locale, words);
  }
  return words;
}
