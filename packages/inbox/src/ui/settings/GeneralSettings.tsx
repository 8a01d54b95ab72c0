/**
 * Server-wide settings an owner changes here (§10, §14, §15): visitors' rate limits, the upload
 * limit, whether a reply assigns the conversation, round-robin and when an idle agent is away. Those an environment variable fixes are shown
 * read-only with the variable's name.
 */
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

type NumberField = { key: NumberSettingKey; label: string; hint: string; min: number; max: number };

const FIELDS: NumberField[] = [
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

/** (§15) Assignment and availability: whole numbers beside the round-robin choice. */
const WORKFLOW_FIELDS: NumberField[] = [
  {
    key: "auto_assign_cap",
    label: "Most open conversations per agent for round-robin",
    hint: "Round-robin skips an agent with this many open or pending conversations; 0 for no cap.",
    min: 0,
    max: 1000,
  },
  {
    key: "away_after_idle_minutes",
    label: "Away after idle minutes",
    hint: "An agent whose inbox has been idle this long shows as away; 0 for never.",
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
  if (loaded === null || draft === null) return <p class="muted">Loading…</p>;

  const fixed = new Set(loaded.fixed_by_environment);
  const submit = (event: JSX.TargetedSubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const outcome = settingsChanges(loaded.settings, draft, fixed, NUMBER_KEYS);
    if ("invalid" in outcome) {
      const label =
        [...FIELDS, ...WORKFLOW_FIELDS].find(({ key }) => key === outcome.invalid)?.label ?? outcome.invalid;
      save.refuse(`${label}: a whole number, please.`);
      return;
    }
    const changes: Partial<OwnerSettings> = outcome.changes;
    if (Object.keys(changes).length === 0) {
      save.refuse("Nothing has changed.");
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
        {fixed.has(key)
          ? `Set by the environment${SETTINGS_ENV[key] === undefined ? "" : ` (${SETTINGS_ENV[key]})`}`
          : hint}
      </p>
    </div>
  );

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="general-title">
      <h2 id="general-title">General</h2>
      <p class="muted small">Applied at once on every server, without a restart.</p>
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
          Assign a conversation to the agent who replies
        </label>
        <p class={`muted small${fixed.has("assign_on_reply") ? " env-fixed" : ""}`} id="assign_on_reply-hint">
          {fixed.has("assign_on_reply")
            ? "Set by the environment"
            : "An unassigned conversation becomes the first replier's. One assigned to someone else stays theirs."}
        </p>
      </div>
      <h3>Limits</h3>
      {FIELDS.map((field) => numberField(field))}
      <h3>Assignment and availability</h3>
      <div class="field">
        <label>
          Assign new conversations
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
            <option value="off">Off: conversations wait unassigned</option>
            <option value="round_robin">Round-robin among online agents</option>
          </select>
        </label>
        <p class="muted small" id="auto_assign-hint">
          Round-robin gives a new conversation to the online agent of its site who has waited longest.
        </p>
      </div>
      {WORKFLOW_FIELDS.map((field) => numberField(field))}
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        Save settings
      </button>
    </form>
  );
}
