/**
 * What a site owner can set, and where it comes from: `window.ParleySettings` wins over the
 * script tag's `data-*` attributes, which win over the server's `GET /widget/config`, which wins
 * over the widget's own defaults. The loader resolves what the launcher needs (its look); the
 * app adds the panel's texts.
 */
import type { WidgetConfig } from "@parley/protocol";
import { parseHexColor, textColorOn } from "./contrast.js";
import { STRINGS } from "./i18n.js";
import { pickLocale, type Locale } from "./locale.js";

export interface PageSettings {
  server?: string;
  title?: string;
  greeting?: string;
  color?: string;
  position?: string;
  locale?: string;
  launcherLabel?: string;
}

/** What the launcher is drawn with, before the app is loaded. */
export interface Look {
  color: string;
  /** White or near-black, whichever reads better on `color`. */
  textColor: string;
  position: "left" | "right";
  locale: Locale;
  launcherLabel: string | null;
}

export interface Settings extends Look {
  title: string;
  greeting: string;
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

export function resolveLook(
  page: PageSettings,
  server: Partial<WidgetConfig> | null,
  languages: readonly string[],
): Look {
  const color = parseHexColor(page.color) ?? parseHexColor(server?.color) ?? DEFAULT_COLOR;
  const position = page.position ?? server?.position;
  return {
    color,
    textColor: textColorOn(color),
    position: position === "left" ? "left" : "right",
    locale: pickLocale(page.locale ?? server?.locale, languages),
    launcherLabel: page.launcherLabel ?? server?.launcher_label ?? null,
  };
}

/** The look, and the panel's header and greeting in the look's language. */
export function resolveSettings(
  page: PageSettings,
  server: Partial<WidgetConfig> | null,
  look: Look,
): Settings {
  return {
    ...look,
    title: page.title ?? (server?.title || STRINGS[look.locale].title),
    greeting: page.greeting ?? (server?.greeting || STRINGS[look.locale].greeting),
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
