/**
 * The widget's languages and how one is picked. The words themselves live with the code that
 * shows them: the launcher's in loader/words.ts (widget.js), the panel's in i18n.ts (the app).
 */
export const LOCALES = ["en", "fr", "ja"] as const;
export type Locale = (typeof LOCALES)[number];

/** The setting if it names a known locale, else the browser's first known language, else English. */
export function pickLocale(setting: string | null | undefined, languages: readonly string[]): Locale {
  for (const tag of [setting ?? "", ...languages]) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    const found = LOCALES.find((locale) => locale === base);
    if (found) return found;
  }
  return "en";
}

/** `{n}`, `{s}` and `{name}` filled in; everything ends up in text nodes, never in markup. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => String(values[key] ?? whole));
}
