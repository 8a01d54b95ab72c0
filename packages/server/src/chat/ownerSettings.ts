/**
 * Server-wide settings an owner changes in the inbox (protocol §10 `OwnerSettings`): a visitor's
 * messages per minute, new conversations per address per hour, the largest upload. Each one's
 * value is the environment's when its variable is set (fixed: a change is refused), else the
 * owner's saved value, else the built-in default. Read synchronously from memory on every use,
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

/** Each setting's range, inclusive (the environment variables' own). */
export const OWNER_SETTING_RANGES: Readonly<Record<keyof OwnerSettings, readonly [number, number]>> = {
  rate_limit_per_minute: [1, 100_000],
  new_conversations_per_ip_per_hour: [0, 1_000_000],
  max_upload_mb: [1, 1024],
};

const ENVIRONMENT_VARIABLES: Record<keyof OwnerSettings, string> = {
  rate_limit_per_minute: "RATE_LIMIT_PER_MINUTE",
  new_conversations_per_ip_per_hour: "NEW_CONVERSATIONS_PER_IP_PER_HOUR",
  max_upload_mb: "MAX_UPLOAD_MB",
};

const KEYS = Object.keys(OWNER_SETTING_RANGES) as Array<keyof OwnerSettings>;

function inRange(key: keyof OwnerSettings, value: unknown): value is number {
  const [min, max] = OWNER_SETTING_RANGES[key];
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= max;
}

export interface OwnerSettingsOptions {
  /** Where the other nodes hear of a change (SETTINGS_STREAM); none: this node only. */
  broker?: Pick<Broker, "publish">;
  /** The environment's value where its variable is set, the built-in default elsewhere. */
  defaults: OwnerSettings;
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
    this.values = { ...options.defaults };
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
    const fixed = KEYS.filter((key) => patch[key] !== undefined && this.options.fixed.includes(key));
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
      if (!inRange(key, value)) {
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
    const merged = { ...this.options.defaults };
    for (const key of KEYS) {
      const value = saved[key];
      if (!this.options.fixed.includes(key) && inRange(key, value)) merged[key] = value;
    }
    return merged;
  }
}
