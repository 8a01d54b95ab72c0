/**
 * What every form of owner settings shares (General, Email): the settings loaded once, the
 * draft as typed, a submit that PATCHes only what changed among its own fields (never what the
 * environment fixes), and the whole-number field with its hint or the variable that fixes it.
 */
import type { OwnerSettings, OwnerSettingsResponse } from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { rest } from "../../api/rest.js";
import { type TextKey, useT } from "../../i18n/index.js";
import {
  SETTINGS_ENV,
  settingsChanges,
  settingsDraft,
  type NumberSettingKey,
  type SettingsDraft,
} from "../../state/siteDraft.js";
import { SaveOutcome, useSave, type SaveState } from "./useSave.js";

export type NumberField = { key: NumberSettingKey; label: TextKey; hint: TextKey; min: number; max: number };

export type OwnerSettingsForm =
  | { kind: "loading" }
  | { kind: "failed"; error: string }
  | {
      kind: "ready";
      draft: SettingsDraft;
      setDraft: (draft: SettingsDraft) => void;
      fixed: ReadonlySet<string>;
      save: SaveState;
      /** Saves what changed among `fields` (and the draft's switches and choices). */
      submit: (event: JSX.TargetedSubmitEvent<HTMLFormElement>) => void;
    };

export function useOwnerSettingsForm(fields: readonly NumberField[]): OwnerSettingsForm {
  const [loaded, setLoaded] = useState<OwnerSettingsResponse | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [draft, setDraft] = useState<SettingsDraft | null>(null);
  const save = useSave();
  const t = useT();

  useEffect(() => {
    rest.settings().then(
      (response) => {
        setLoaded(response);
        setDraft(settingsDraft(response.settings));
      },
      (error: unknown) => setLoadError(messageOf(error)),
    );
  }, []);

  if (loadError !== null) return { kind: "failed", error: loadError };
  if (loaded === null || draft === null) return { kind: "loading" };

  const fixed = new Set<string>(loaded.fixed_by_environment);
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const outcome = settingsChanges(
      loaded.settings,
      draft,
      fixed,
      fields.map(({ key }) => key),
    );
    if ("invalid" in outcome) {
      const field = fields.find(({ key }) => key === outcome.invalid);
      save.refuse(t.wholeNumber(field === undefined ? outcome.invalid : t[field.label]));
      return;
    }
    const changes: Partial<OwnerSettings> = outcome.changes;
    if (Object.keys(changes).length === 0) {
      save.refuse(t.nothingChanged);
      return;
    }
    void save.run(async () => {
      const response = await rest.updateSettings(changes);
      setLoaded(response);
      setDraft(settingsDraft(response.settings));
    });
  };
  return { kind: "ready", draft, setDraft, fixed, save, submit };
}

/** One whole-number setting: read-only, naming its variable, when the environment fixes it. */
export function NumberSettingField({
  field: { key, label, hint, min, max },
  form,
}: {
  field: NumberField;
  form: Extract<OwnerSettingsForm, { kind: "ready" }>;
}) {
  const t = useT();
  const { draft, setDraft, fixed } = form;
  const variable = SETTINGS_ENV[key];
  return (
    <div class="field">
      <label>
        {t[label]}
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
        {fixed.has(key)
          ? variable === undefined
            ? t.setByEnvironment
            : t.setByEnvironmentNamed(variable)
          : t[hint]}
      </p>
    </div>
  );
}

/** A card of whole-number settings with its own heading and Save (Email's timing, Privacy). */
export function NumberSettingsCard({
  id,
  heading,
  fields,
}: {
  id: string;
  heading: string;
  fields: readonly NumberField[];
}) {
  const form = useOwnerSettingsForm(fields);
  const t = useT();

  if (form.kind !== "ready")
    return (
      <section class="card form" aria-labelledby={id}>
        <h2 id={id}>{heading}</h2>
        {form.kind === "failed" ? (
          <p class="error" role="alert">
            {form.error}
          </p>
        ) : (
          <p class="muted">{t.loading}</p>
        )}
      </section>
    );

  return (
    <form class="card form" onSubmit={form.submit} aria-labelledby={id}>
      <h2 id={id}>{heading}</h2>
      {fields.map((field) => (
        <NumberSettingField key={field.key} field={field} form={form} />
      ))}
      <SaveOutcome save={form.save} />
      <button type="submit" class="primary" disabled={form.save.busy}>
        {t.saveSettings}
      </button>
    </form>
  );
}
