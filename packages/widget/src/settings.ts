/**
 * What a site owner can set, and where it comes from: `window.ParleySettings` wins over the
 * script tag's `data-*` attributes, which win over the server's `GET /widget/config`, which wins
 * over the widget's own defaults.
 */
import type { WidgetConfig } from "@parley/protocol";
import { parseHexColor, textColorOn } from "./contrast.js";
import { pickLocale, STRINGS, type Locale } from "./i18n.js";

export interface PageSettings {
  server?: string;
  title?: string;
  greeting?: string;
  color?: string;
  position?: string;
  locale?: string;
  launcherLabel?: string;
}

export interface Settings {
  title: string;
  greeting: string;
  color: string;
  /** White or near-black, whichever reads better on `color`. */
  textColor: string;
  position: "left" | "right";
  locale: Locale;
  launcherLabel: string | null;
}

const FIELDS = ["server", "title", "greeting", "color", "position", "locale", "launcherLabel"] as const;

/** White text on it passes WCAG AA (5.9:1). */
export const DEFAULT_COLOR = "#2455c3";

/** Picks the known string fields of `data-*` attributes (`data-launcher-label` → launcherLabel) or of an object. */
export function pickSettings(source: unknown): PageSettings {
  const settings: PageSettings = {};
  if (typeof source !== "object" || source === null) return settings;
  const record = source as Record<string, unknown>;
  for (const field of FIELDS) {
    const value = record[field];
    if (typeof value === "string" && value.trim() !== "") settings[field] = value.trim();
  }
  return settings;
}

export function resolveSettings(
  page: PageSettings,
  server: Partial<WidgetConfig> | null,
  languages: readonly string[],
): Settings {
  const locale = pickLocale(page.locale ?? server?.locale, languages);
  const color = parseHexColor(page.color) ?? parseHexColor(server?.color) ?? DEFAULT_COLOR;
  const position = page.position ?? server?.position;
  return {
    title: page.title ?? (server?.title || STRINGS[locale].title),
    greeting: page.greeting ?? (server?.greeting || STRINGS[locale].greeting),
    color,
    textColor: textColorOn(color),
    position: position === "left" ? "left" : "right",
    locale,
    launcherLabel: page.launcherLabel ?? server?.launcher_label ?? null,
  };
}

/** The chat server's origin: the `server` setting, else where widget.js was loaded from, else this page. */
export function serverOrigin(
  setting: string | undefined,
  scriptSrc: string | undefined,
  page: string,
): string {
  for (const candidate of [setting, scriptSrc]) {
    if (!candidate) continue;
    try {
      return new URL(candidate, page).origin;
    } catch {
      /* not a URL: try the next source */
    }
  }
  return new URL(page).origin;
}

export function cableUrl(origin: string): string {
  return `${origin.replace(/^http/, "ws")}/cable`;
}
