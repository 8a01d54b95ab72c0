/**
 * Server-wide settings an owner changes here (§10, §14, §15): visitors' rate limits, the upload
 * limit, whether a reply assigns the conversation, round-robin and when an idle agent is away. Those an environment variable fixes are shown
 * read-only with the variable's name.
 */
import { type TextKey, useT } from "../../i18n/index.js";
import type { OwnerSettings, OwnerSettingsResponse } from "@parley/protocol";
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { messageOf } from "../../api/http.js";
import { rest } from "../../api/rest.js";
import {
  SETTINGS_ENV,
  settingsChanges,
  settingsDraft,
  type NumberSettingKey,
  type SettingsDraft,
} from "../../state/siteDraft.js";
import { SaveOutcome, useSave } from "./useSave.js";

type NumberField = { key: NumberSettingKey; label: TextKey; hint: TextKey; min: number; max: number };

const FIELDS: NumberField[] = [
  {
    key: "rate_limit_per_minute",
    label: "fieldRate",
    hint: "fieldRateHint",
    min: 1,
    max: 100_000,
  },
  {
    key: "new_conversations_per_ip_per_hour",
    label: "fieldNewConversations",
    hint: "fieldNewConversationsHint",
    min: 0,
    max: 1_000_000,
  },
  {
    key: "max_upload_mb",
    label: "fieldUpload",
    hint: "fieldUploadHint",
    min: 1,
    max: 1024,
  },
];

/** (§15) Assignment and availability: whole numbers beside the round-robin choice. */
const WORKFLOW_FIELDS: NumberField[] = [
  {
    key: "auto_assign_cap",
    label: "fieldCap",
    hint: "fieldCapHint",
    min: 0,
    max: 1000,
  },
  {
    key: "away_after_idle_minutes",
    label: "fieldIdle",
    hint: "fieldIdleHint",
    min: 0,
    max: 1440,
  },
];

const NUMBER_KEYS = [...FIELDS, ...WORKFLOW_FIELDS].map(({ key }) => key);

export function GeneralSettings() {
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

  if (loadError !== null)
    return (
      <p class="error" role="alert">
        {loadError}
      </p>
    );
  if (loaded === null || draft === null) return <p class="muted">{t.loading}</p>;

  const fixed = new Set(loaded.fixed_by_environment);
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const outcome = settingsChanges(loaded.settings, draft, fixed, NUMBER_KEYS);
    if ("invalid" in outcome) {
      const field = [...FIELDS, ...WORKFLOW_FIELDS].find(({ key }) => key === outcome.invalid);
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

  const numberField = ({ key, label, hint, min, max }: NumberField) => (
    <div class="field" key={key}>
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
          ? SETTINGS_ENV[key] === undefined
            ? t.setByEnvironment
            : t.setByEnvironmentNamed(SETTINGS_ENV[key])
          : t[hint]}
      </p>
    </div>
  );

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="general-title">
      <h2 id="general-title">{t.tabGeneral}</h2>
      <p class="muted small">{t.generalIntro}</p>
      <div class="field">
        <label class="switch">
          <input
            type="checkbox"
            name="assign_on_reply"
            checked={draft.assign_on_reply}
            disabled={fixed.has("assign_on_reply")}
            aria-describedby="assign_on_reply-hint"
            onChange={(event) => setDraft({ ...draft, assign_on_reply: event.currentTarget.checked })}
          />
          {t.assignOnReply}
        </label>
        <p class={`muted small${fixed.has("assign_on_reply") ? " env-fixed" : ""}`} id="assign_on_reply-hint">
          {fixed.has("assign_on_reply") ? t.setByEnvironment : t.assignOnReplyHint}
        </p>
      </div>
      <h3>{t.limits}</h3>
      {FIELDS.map((field) => numberField(field))}
      <h3>{t.assignmentAvailability}</h3>
      <div class="field">
        <label>
          {t.assignNew}
          <select
            name="auto_assign"
            value={draft.auto_assign}
            disabled={fixed.has("auto_assign")}
            aria-describedby="auto_assign-hint"
            onChange={(event) =>
              setDraft({
                ...draft,
                auto_assign: event.currentTarget.value === "round_robin" ? "round_robin" : "off",
              })
            }
          >
            <option value="off">{t.assignOff}</option>
            <option value="round_robin">{t.assignRoundRobin}</option>
          </select>
        </label>
        <p class="muted small" id="auto_assign-hint">
          {t.roundRobinHint}
        </p>
      </div>
      {WORKFLOW_FIELDS.map((field) => numberField(field))}
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t.saveSettings}
      </button>
    </form>
  );
}
