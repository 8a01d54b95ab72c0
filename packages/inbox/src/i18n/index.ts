/**
 * The inbox's languages: English (the source of every key), French and Japanese. The agent's
 * choice is kept per agent in this browser; without one, the first of the browser's languages
 * the inbox speaks, else English. Every dictionary is bundled (they are small and the inbox has
 * no weight budget), so switching applies at once without a request.
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { en, type Messages } from "./en.js";
import { fr } from "./fr.js";
import { ja } from "./ja.js";

export type { Messages, TextKey } from "./en.js";
export const LOCALES = ["en", "fr", "ja"] as const;
export type Locale = (typeof LOCALES)[number];

export const DICTIONARIES: Record<Locale, Messages> = { en, fr, ja };

/** Each language's name written in that language, for the chooser. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: "English", fr: "Français", ja: "日本語" };

const LAST_KEY = "parley.inbox.language";
export function languageKey(agentId: number): string {
  return `parley.inbox.language.${agentId}`;
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* private mode or storage full: the choice lasts for this page only */
  }
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/** The first of the browser's languages the inbox speaks ("fr-CA" counts as French), else English. */
export function browserLocale(languages: readonly string[] = browserLanguages()): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLocale(base)) return base;
  }
  return "en";
}

function browserLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

let current: Locale = (() => {
  const last = read(LAST_KEY);
  return isLocale(last) ? last : browserLocale();
})();
const listeners = new Set<(locale: Locale) => void>();

function apply(locale: Locale): void {
  const changed = locale !== current;
  current = locale;
  if (typeof document !== "undefined") document.documentElement.lang = locale;
  if (changed) for (const listener of listeners) listener(locale);
}
apply(current);

export function locale(): Locale {
  return current;
}

/**
 * The tag dates and numbers are formatted with: the browser's own tag when it is the same
 * language ("en-GB", "fr-CA" keep their day-month order), else the chosen language.
 */
export function formatLocale(): string {
  return browserLanguages().find((tag) => tag.toLowerCase().split("-")[0] === current) ?? current;
}

/** The current dictionary, for code outside components (titles, formatting). */
export function messages(): Messages {
  return DICTIONARIES[current];
}

/** The language of this agent: their choice in this browser, else the browser's. */
export function adoptAgentLocale(agentId: number): void {
  const chosen = read(languageKey(agentId));
  apply(isLocale(chosen) ? chosen : browserLocale());
}

/** The agent picks a language: kept for them (and for the login page of this browser), applied at once. */
export function chooseLocale(agentId: number, locale: Locale): void {
  write(languageKey(agentId), locale);
  write(LAST_KEY, locale);
  apply(locale);
}

export function onLocaleChange(listener: (locale: Locale) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Provided by App so every component using useT() renders again when the language changes. */
export const LocaleContext = createContext<Locale>(current);

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

export function useT(): Messages {
  return DICTIONARIES[useContext(LocaleContext)];
}
