/**
 * A site's settings form: what the owner typed, turned into the PATCH that changes only what
 * they changed (and never a field the environment fixes, which the server refuses).
 */
import type {
  OwnerSettings,
  PrechatField,
  PrechatSettings,
  Site,
  SiteWidgetSettings,
} from "@parley/protocol";

/** The environment variable behind each field an install may fix (README, configuration). */
export const WIDGET_ENV: Partial<Record<keyof SiteWidgetSettings, string>> = {
  title: "WIDGET_TITLE",
  greeting: "WIDGET_GREETING",
  color: "WIDGET_COLOR",
  position: "WIDGET_POSITION",
};

/** The owner settings that are whole numbers (limits); the rest are switches and choices. */
export type NumberSettingKey = {
  [K in keyof OwnerSettings]: OwnerSettings[K] extends number ? K : never;
}[keyof OwnerSettings];
/** The owner settings that are on/off switches. */
export type SwitchSettingKey = {
  [K in keyof OwnerSettings]: OwnerSettings[K] extends boolean ? K : never;
}[keyof OwnerSettings];
/** The owner settings that are one of a few words (§15: `auto_assign`). */
export type ChoiceSettingKey = Exclude<keyof OwnerSettings, NumberSettingKey | SwitchSettingKey>;

/** The environment variable behind each limit an install may fix; no variable sets the rest. */
export const SETTINGS_ENV: Partial<Record<NumberSettingKey, string>> = {
  rate_limit_per_minute: "RATE_LIMIT_PER_MINUTE",
  new_conversations_per_ip_per_hour: "NEW_CONVERSATIONS_PER_IP_PER_HOUR",
  max_upload_mb: "MAX_UPLOAD_MB",
};

/** The general settings form as typed: numbers as the text fields hold them, switches as booleans. */
export type SettingsDraft = Record<NumberSettingKey, string> &
  Record<SwitchSettingKey, boolean> & { [K in ChoiceSettingKey]: OwnerSettings[K] };

/** What a server from before §15 leaves out: the defaults it behaved as. */
const WORKFLOW_DEFAULTS = { auto_assign: "off", auto_assign_cap: 0, away_after_idle_minutes: 10 } as const;
/** What a server from before §16 leaves out: the defaults of the email settings. */
const EMAIL_DEFAULTS = { email_replies_after_minutes: 5, ask_email_after_minutes: 3 } as const;
/** What a server from before §17 leaves out: nothing deleted by age, a year of audit log. */
const PRIVACY_DEFAULTS = { retention_days: 0, audit_log_days: 365 } as const;
/** Every number a server may leave out, by its default: a draft that keeps it changes nothing. */
const NUMBER_DEFAULTS = { ...WORKFLOW_DEFAULTS, ...EMAIL_DEFAULTS } as const;

export function settingsDraft(settings: OwnerSettings): SettingsDraft {
  return {
    rate_limit_per_minute: String(settings.rate_limit_per_minute),
    new_conversations_per_ip_per_hour: String(settings.new_conversations_per_ip_per_hour),
    max_upload_mb: String(settings.max_upload_mb),
    auto_assign_cap: String(settings.auto_assign_cap ?? WORKFLOW_DEFAULTS.auto_assign_cap),
    away_after_idle_minutes: String(
      settings.away_after_idle_minutes ?? WORKFLOW_DEFAULTS.away_after_idle_minutes,
    ),
    email_replies_after_minutes: String(
      settings.email_replies_after_minutes ?? EMAIL_DEFAULTS.email_replies_after_minutes,
    ),
    ask_email_after_minutes: String(
      settings.ask_email_after_minutes ?? EMAIL_DEFAULTS.ask_email_after_minutes,
    ),
    retention_days: String(settings.retention_days ?? PRIVACY_DEFAULTS.retention_days),
    audit_log_days: String(settings.audit_log_days ?? PRIVACY_DEFAULTS.audit_log_days),
    // A server from before §14 sends none: it assigned nobody on reply.
    assign_on_reply: settings.assign_on_reply ?? false,
    auto_assign: settings.auto_assign ?? WORKFLOW_DEFAULTS.auto_assign,
  };
}

/**
 * The PATCH for what the owner changed, minus what the environment fixes; or the first field
 * that is not a whole number, by its key.
 */
export function settingsChanges(
  settings: OwnerSettings,
  draft: SettingsDraft,
  fixed: ReadonlySet<string>,
  numberKeys: readonly NumberSettingKey[],
): { changes: Partial<OwnerSettings> } | { invalid: NumberSettingKey } {
  const changes: Partial<OwnerSettings> = {};
  for (const key of numberKeys) {
    if (fixed.has(key)) continue;
    const text = draft[key].trim();
    if (!/^\d+$/.test(text)) return { invalid: key };
    if (Number(text) !== (settings[key] ?? NUMBER_DEFAULTS[key as keyof typeof NUMBER_DEFAULTS]))
      changes[key] = Number(text);
  }
  if (!fixed.has("assign_on_reply") && draft.assign_on_reply !== (settings.assign_on_reply ?? false))
    changes.assign_on_reply = draft.assign_on_reply;
  if (
    !fixed.has("auto_assign") &&
    draft.auto_assign !== (settings.auto_assign ?? WORKFLOW_DEFAULTS.auto_assign)
  )
    changes.auto_assign = draft.auto_assign;
  return { changes };
}

/** The widget's text fields (every field but the pre-chat form's pair of choices). */
export type WidgetTextKey = Exclude<keyof SiteWidgetSettings, "prechat" | "ask_rating">;

/** The widget fields as text fields hold them ("" for a null label or locale), and the pre-chat form. */
export type WidgetDraft = Record<WidgetTextKey, string> & { prechat: PrechatSettings; ask_rating: boolean };

export const PRECHAT_OFF: PrechatSettings = { name: "off", email: "off" };
export const PRECHAT_CHOICES: readonly PrechatField[] = ["off", "optional", "required"];

export function widgetDraft(widget: SiteWidgetSettings): WidgetDraft {
  return {
    ...widget,
    launcher_label: widget.launcher_label ?? "",
    locale: widget.locale ?? "",
    // A server from before the pre-chat form (§12) sends none: nothing is asked.
    prechat: widget.prechat ?? PRECHAT_OFF,
    // A server from before ratings and the privacy link (§18): asked, no link.
    ask_rating: widget.ask_rating ?? true,
    privacy_url: widget.privacy_url ?? "",
  };
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
    prechat: draft.prechat,
    ask_rating: draft.ask_rating,
    privacy_url: draft.privacy_url.trim() === "" ? null : draft.privacy_url.trim(),
  };
}

/** The fields that differ from the site's, minus those the environment fixes. */
export function widgetChanges(site: Site, draft: WidgetDraft): Partial<SiteWidgetSettings> {
  const wanted = draftWidget(draft);
  const changes: Partial<SiteWidgetSettings> = {};
  for (const key of Object.keys(wanted) as (keyof SiteWidgetSettings)[]) {
    if (key === "prechat" || site.fixed_by_environment.includes(key) || wanted[key] === site.widget[key])
      continue;
    Object.assign(changes, { [key]: wanted[key] });
  }
  const prechat = site.widget.prechat ?? PRECHAT_OFF;
  if (wanted.prechat.name !== prechat.name || wanted.prechat.email !== prechat.email)
    changes.prechat = { ...wanted.prechat };
  return changes;
}

/** One origin a line, as typed: blank lines dropped, the rest left for the server to judge. */
export function parseOrigins(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}
