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
  /** The site's key (site.ts), checked by the loader. */
  site?: string;
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
  /** What the header says while the team is away (closed, or nobody online). */
  awayMessage: string;
  /** (§18) The site's privacy notice, linked under the text box. */
  privacy?: string | null;
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
    // The site's language is for visitors whose browser asks for none the widget speaks (§10).
    locale: pickLocale(page.locale, [...languages, server?.locale ?? ""]),
    launcherLabel: page.launcherLabel ?? server?.launcher_label ?? null,
  };
}

/** The look, and the panel's header, greeting and away message in the look's language. */
export function resolveSettings(
  page: PageSettings,
  server: Partial<WidgetConfig> | null,
  look: Look,
): Settings {
  const strings = STRINGS[look.locale];
  // A site that kept the server's defaults sends them in English: a French or Japanese visitor
  // reads the widget's own translation of them instead, never English mixed in.
  const own = (text: string | undefined, key: "title" | "greeting" | "offline"): string =>
    !text || text === STRINGS.en[key] ? strings[key] : text;
  return {
    ...look,
    title: page.title ?? own(server?.title, "title"),
    greeting: page.greeting ?? own(server?.greeting, "greeting"),
    awayMessage: own(server?.away_message, "offline"),
    privacy: server?.privacy_url,
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
