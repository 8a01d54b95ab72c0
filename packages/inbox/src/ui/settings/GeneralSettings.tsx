/**
 * Server-wide settings an owner changes here (§10): visitors' rate limits and the upload limit.
 * Those an environment variable fixes are shown read-only with the variable's name.
 */
import type { OwnerSettings, OwnerSettingsResponse } from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { rest } from "../../api/rest.js";
import { SETTINGS_ENV } from "../../state/siteDraft.js";
import { SaveOutcome, useSave } from "./useSave.js";

const FIELDS: { key: keyof OwnerSettings; label: string; hint: string; min: number; max: number }[] = [
  {
    key: "rate_limit_per_minute",
    label: "Visitor messages per minute",
    hint: "How many messages one visitor may send in a minute.",
    min: 1,
    max: 100_000,
  },
  {
    key: "new_conversations_per_ip_per_hour",
    label: "New conversations per address per hour",
    hint: "How many conversations one network address may start in an hour; 0 for no cap.",
    min: 0,
    max: 1_000_000,
  },
  {
    key: "max_upload_mb",
    label: "Largest upload (MB)",
    hint: "The largest file a visitor or an agent may send.",
    min: 1,
    max: 1024,
  },
];

type Draft = Record<keyof OwnerSettings, string>;

const toDraft = (settings: OwnerSettings): Draft => ({
  rate_limit_per_minute: String(settings.rate_limit_per_minute),
  new_conversations_per_ip_per_hour: String(settings.new_conversations_per_ip_per_hour),
  max_upload_mb: String(settings.max_upload_mb),
});

export function GeneralSettings() {
  const [loaded, setLoaded] = useState<OwnerSettingsResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const save = useSave();

  useEffect(() => {
    rest.settings().then(
      (response) => {
        setLoaded(response);
        setDraft(toDraft(response.settings));
      },
      (error: unknown) => setLoadError(messageOf(error)),
    );
  }, []);

  if (loadError !== null)
    return (
      <p class="error" role="alert">
        {loadError}
      </p>
    );
  if (loaded === null || draft === null) return <p class="muted">Loading…</p>;

  const fixed = new Set(loaded.fixed_by_environment);
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const changes: Partial<OwnerSettings> = {};
    for (const { key, label } of FIELDS) {
      if (fixed.has(key)) continue;
      const text = draft[key].trim();
      if (!/^\d+$/.test(text)) {
        save.refuse(`${label}: a whole number, please.`);
        return;
      }
      if (Number(text) !== loaded.settings[key]) changes[key] = Number(text);
    }
    if (Object.keys(changes).length === 0) {
      save.refuse("Nothing has changed.");
      return;
    }
    void save.run(async () => {
      const response = await rest.updateSettings(changes);
      setLoaded(response);
      setDraft(toDraft(response.settings));
    });
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="general-title">
      <h2 id="general-title">Limits</h2>
      <p class="muted small">Applied at once on every server, without a restart.</p>
      {FIELDS.map(({ key, label, hint, min, max }) => (
        <div class="field" key={key}>
          <label>
            {label}
            <input
              type="number"
              name={key}
              inputMode="numeric"
              min={min}
              max={max}
              step={1}
              required
              readOnly={fixed.has(key)}
              value={draft[key]}
              aria-describedby={`${key}-hint`}
              onInput={(event) => setDraft({ ...draft, [key]: event.currentTarget.value })}
            />
          </label>
          <p class={`muted small${fixed.has(key) ? " env-fixed" : ""}`} id={`${key}-hint`}>
            {fixed.has(key) ? `Set by the environment (${SETTINGS_ENV[key]})` : hint}
          </p>
        </div>
      ))}
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        Save settings
      </button>
    </form>
  );
}
