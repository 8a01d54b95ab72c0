/**
 * A site's settings form: what the owner typed, turned into the PATCH that changes only what
 * they changed (and never a field the environment fixes, which the server refuses).
 */
import type { OwnerSettings, Site, SiteWidgetSettings } from "@parley/protocol";

/** The environment variable behind each field an install may fix (README, configuration). */
export const WIDGET_ENV: Partial<Record<keyof SiteWidgetSettings, string>> = {
  title: "WIDGET_TITLE",
  greeting: "WIDGET_GREETING",
  color: "WIDGET_COLOR",
  position: "WIDGET_POSITION",
};

export const SETTINGS_ENV: Record<keyof OwnerSettings, string> = {
  rate_limit_per_minute: "RATE_LIMIT_PER_MINUTE",
  new_conversations_per_ip_per_hour: "NEW_CONVERSATIONS_PER_IP_PER_HOUR",
  max_upload_mb: "MAX_UPLOAD_MB",
};

/** The widget fields as text fields hold them ("" for a null label or locale). */
export type WidgetDraft = Record<keyof SiteWidgetSettings, string>;

export function widgetDraft(widget: SiteWidgetSettings): WidgetDraft {
  return { ...widget, launcher_label: widget.launcher_label ?? "", locale: widget.locale ?? "" };
}

/** The draft as settings: blank label and locale mean none. */
export function draftWidget(draft: WidgetDraft): SiteWidgetSettings {
  const label = draft.launcher_label.trim();
  const locale = draft.locale.trim();
  return {
    title: draft.title,
    greeting: draft.greeting,
    color: draft.color.trim(),
    position: draft.position === "left" ? "left" : "right",
    launcher_label: label === "" ? null : label,
    locale: locale === "" ? null : locale,
    away_message: draft.away_message,
  };
}

/** The fields that differ from the site's, minus those the environment fixes. */
export function widgetChanges(site: Site, draft: WidgetDraft): Partial<SiteWidgetSettings> {
  const wanted = draftWidget(draft);
  const changes: Partial<SiteWidgetSettings> = {};
  for (const key of Object.keys(wanted) as (keyof SiteWidgetSettings)[]) {
    if (site.fixed_by_environment.includes(key) || wanted[key] === site.widget[key]) continue;
    Object.assign(changes, { [key]: wanted[key] });
  }
  return changes;
}

/** One origin a line, as typed: blank lines dropped, the rest left for the server to judge. */
export function parseOrigins(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}
