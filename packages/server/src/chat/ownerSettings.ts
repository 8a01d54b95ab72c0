/**
 * Server-wide settings an owner changes in the inbox (protocol §10 `OwnerSettings`): a visitor's
 * messages per minute, new conversations per address per hour, the largest upload, and (§14)
 * whether an agent's reply assigns an unassigned conversation to them, and (§15) the
 * round-robin and when an idle agent counts as away. Each number's value is
 * the environment's when its variable is set (fixed: a change is refused), else the owner's
 * saved value, else the built-in default; the switches have no variable. Read synchronously from memory on every use,
 * so a change applies to the next message or upload; `load()` reads the store again (at boot,
 * when another node says the owner changed something, and once a minute in case a notice was lost).
 */
import type { OwnerSettings, OwnerSettingsResponse } from "@parley/protocol";
import type { Broker } from "../broker/broker.js";
import type { Store, StoredOwnerSettings } from "../store/store.js";
import { Signal } from "../signal.js";
import { ChatError, invalid } from "./errors.js";
import { SETTINGS_STREAM } from "./streams.js";

const MB = 1024 * 1024;

/** The settings that are whole numbers. */
export type NumericSetting = {
  [K in keyof OwnerSettings]: OwnerSettings[K] extends number ? K : never;
}[keyof OwnerSettings];
/** The settings that are switches (no environment variable sets them). */
export type FlagSetting = {
  [K in keyof OwnerSettings]: OwnerSettings[K] extends boolean ? K : never;
}[keyof OwnerSettings];
/** The settings that are one of a few words (no environment variable sets them). */
export type ChoiceSetting = {
  [K in keyof OwnerSettings]: OwnerSettings[K] extends string ? K : never;
}[keyof OwnerSettings];
/** The numeric settings an environment variable may fix. */
export type EnvironmentSetting =
  "rate_limit_per_minute" | "new_conversations_per_ip_per_hour" | "max_upload_mb";
/** The settings with a built-in default (no variable sets them). */
export type BuiltInSetting = Exclude<keyof OwnerSettings, EnvironmentSetting>;

/** Each numeric setting's range, inclusive (the environment variables' own). */
export const OWNER_SETTING_RANGES: Readonly<Record<NumericSetting, readonly [number, number]>> = {
  rate_limit_per_minute: [1, 100_000],
  new_conversations_per_ip_per_hour: [0, 1_000_000],
  max_upload_mb: [1, 1024],
  auto_assign_cap: [0, 1000],
  away_after_idle_minutes: [0, 1440],
  email_replies_after_minutes: [0, 1440],
  ask_email_after_minutes: [0, 1440],
  retention_days: [0, 3650],
  audit_log_days: [1, 3650],
};

/** Each switch's default when the owner never saved it. */
export const OWNER_SETTING_FLAGS: Readonly<Record<FlagSetting, boolean>> = {
  assign_on_reply: true,
};

/** Each word setting's values, the first its default (§15). */
export const OWNER_SETTING_CHOICES: Readonly<{ [K in ChoiceSetting]: readonly OwnerSettings[K][] }> = {
  auto_assign: ["off", "round_robin"],
};

/** What applies to the settings no variable sets when the owner never saved them. */
export const OWNER_SETTING_BUILT_IN: Readonly<Pick<OwnerSettings, BuiltInSetting>> = {
  ...OWNER_SETTING_FLAGS,
  auto_assign: "off",
  auto_assign_cap: 0,
  away_after_idle_minutes: 10,
  email_replies_after_minutes: 5,
  ask_email_after_minutes: 3,
  retention_days: 0,
  audit_log_days: 365,
};

const ENVIRONMENT_VARIABLES: Record<EnvironmentSetting, string> = {
  rate_limit_per_minute: "RATE_LIMIT_PER_MINUTE",
  new_conversations_per_ip_per_hour: "NEW_CONVERSATIONS_PER_IP_PER_HOUR",
  max_upload_mb: "MAX_UPLOAD_MB",
};

const NUMERIC_KEYS = Object.keys(OWNER_SETTING_RANGES) as NumericSetting[];
const FLAG_KEYS = Object.keys(OWNER_SETTING_FLAGS) as FlagSetting[];
const CHOICE_KEYS = Object.keys(OWNER_SETTING_CHOICES) as ChoiceSetting[];
const KEYS: Array<keyof OwnerSettings> = [...NUMERIC_KEYS, ...FLAG_KEYS, ...CHOICE_KEYS];

function isFlag(key: keyof OwnerSettings): key is FlagSetting {
  return (FLAG_KEYS as Array<keyof OwnerSettings>).includes(key);
}

function isChoice(key: keyof OwnerSettings): key is ChoiceSetting {
  return (CHOICE_KEYS as Array<keyof OwnerSettings>).includes(key);
}

function isEnvironmentSetting(key: keyof OwnerSettings): key is EnvironmentSetting {
  return key in ENVIRONMENT_VARIABLES;
}

function inRange(key: NumericSetting, value: unknown): value is number {
  const [min, max] = OWNER_SETTING_RANGES[key];
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Whether `value` is a valid value of the setting. */
function valid(key: keyof OwnerSettings, value: unknown): boolean {
  if (isFlag(key)) return typeof value === "boolean";
  if (isChoice(key)) return (OWNER_SETTING_CHOICES[key] as readonly unknown[]).includes(value);
  return inRange(key, value);
}

export interface OwnerSettingsOptions {
  /** Where the other nodes hear of a change (SETTINGS_STREAM); none: this node only. */
  broker?: Pick<Broker, "publish">;
  /**
   * The environment's value where its variable is set, the built-in default elsewhere (the
   * others default to OWNER_SETTING_BUILT_IN).
   */
  defaults: Pick<OwnerSettings, EnvironmentSetting> & Partial<Pick<OwnerSettings, BuiltInSetting>>;
  /** The settings whose variable is set. */
  fixed: ReadonlyArray<keyof OwnerSettings>;
  /** UPLOAD_BYTES_PER_IP_MB in bytes (0: no cap): an upload larger than it could never be held. */
  uploadBytesPerIp: number;
}

export class OwnerSettingsService {
  /** The settings changed, here or (after `load()`) on another node. */
  readonly changed = new Signal<OwnerSettings>();
  private values: OwnerSettings;

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    readonly options: OwnerSettingsOptions,
  ) {
    this.values = { ...OWNER_SETTING_BUILT_IN, ...options.defaults };
  }

  /** What applies now. */
  current(): Readonly<OwnerSettings> {
    return this.values;
  }

  toWire(): OwnerSettingsResponse {
    return { settings: { ...this.values }, fixed_by_environment: [...this.options.fixed] };
  }

  /** Reads the saved settings; emits `changed` when what applies is different. */
  async load(): Promise<void> {
    const next = this.merge(await this.store.getOwnerSettings());
    const before = this.values;
    this.values = next;
    if (KEYS.some((key) => before[key] !== next[key])) this.changed.emit(next);
  }

  async update(patch: Partial<OwnerSettings>): Promise<void> {
    const fixed = KEYS.filter(isEnvironmentSetting).filter(
      (key) => patch[key] !== undefined && this.options.fixed.includes(key),
    );
    if (fixed.length > 0) {
      const variables = fixed.map((key) => ENVIRONMENT_VARIABLES[key]).join(", ");
      throw new ChatError(
        "conflict",
        `The environment (${variables}) fixes ${fixed.join(", ")}: change it there`,
      );
    }
    const values: StoredOwnerSettings = {};
    for (const key of KEYS) {
      const value = patch[key];
      if (value === undefined) continue;
      if (!valid(key, value)) {
        if (isFlag(key)) throw invalid(`${key} must be true or false`);
        if (isChoice(key)) throw invalid(`${key} must be one of ${OWNER_SETTING_CHOICES[key].join(", ")}`);
        const [min, max] = OWNER_SETTING_RANGES[key];
        throw invalid(`${key} must be a whole number from ${min} to ${max}`);
      }
      values[key] = value;
    }
    const cap = this.options.uploadBytesPerIp;
    if (values.max_upload_mb !== undefined && cap > 0 && (values.max_upload_mb as number) * MB > cap) {
      throw invalid(
        `max_upload_mb cannot be more than UPLOAD_BYTES_PER_IP_MB (${cap / MB}), what one address may hold`,
      );
    }
    await this.store.saveOwnerSettings(values, this.now().toISOString());
    await this.load();
    await this.options.broker?.publish(SETTINGS_STREAM, { type: "owner_settings_changed" });
  }

  /** Fixed ones from the environment; the rest saved (when valid: a bad row never applies) or default. */
  private merge(saved: StoredOwnerSettings): OwnerSettings {
    const merged: OwnerSettings = { ...OWNER_SETTING_BUILT_IN, ...this.options.defaults };
    for (const key of NUMERIC_KEYS) {
      const value = saved[key];
      if (!this.options.fixed.includes(key) && inRange(key, value)) merged[key] = value;
    }
    for (const key of FLAG_KEYS) {
      const value = saved[key];
      if (typeof value === "boolean") merged[key] = value;
    }
    for (const key of CHOICE_KEYS) {
      const value = saved[key];
      if (valid(key, value)) merged[key] = value as OwnerSettings[typeof key];
    }
    return merged;
  }
}
