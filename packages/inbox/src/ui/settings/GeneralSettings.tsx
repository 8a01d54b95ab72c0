/**
 * Server-wide settings an owner changes here (§10, §14, §15): visitors' rate limits, the upload
 * limit, whether a reply assigns the conversation, round-robin and when an idle agent is away. Those an environment variable fixes are shown
 * read-only with the variable's name.
 */
import { useT } from "../../i18n/index.js";
import { NumberSettingField, useOwnerSettingsForm, type NumberField } from "./ownerSettingsForm.js";
import { SaveOutcome } from "./useSave.js";

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

const ALL_FIELDS = [...FIELDS, ...WORKFLOW_FIELDS];

export function GeneralSettings() {
  const form = useOwnerSettingsForm(ALL_FIELDS);
  const t = useT();

  if (form.kind === "failed")
    return (
      <p class="error" role="alert">
        {form.error}
      </p>
    );
  if (form.kind === "loading") return <p class="muted">{t.loading}</p>;
  const { draft, setDraft, fixed, save, submit } = form;

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
      {FIELDS.map((field) => (
        <NumberSettingField key={field.key} field={field} form={form} />
      ))}
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
      {WORKFLOW_FIELDS.map((field) => (
        <NumberSettingField key={field.key} field={field} form={form} />
      ))}
      <SaveOutcome save={save} />
      <button type="submit" class="primary" disabled={save.busy}>
        {t.saveSettings}
      </button>
    </form>
  );
}
