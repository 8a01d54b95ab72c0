/**
 * Settings → Privacy (owners, §17): how long resolved conversations and the audit log are kept,
 * saved like the general settings (only what changed, PATCH /settings).
 */
import { useT } from "../../i18n/index.js";
import { NumberSettingField, useOwnerSettingsForm, type NumberField } from "./ownerSettingsForm.js";
import { SaveOutcome } from "./useSave.js";

const FIELDS: NumberField[] = [
  { key: "retention_days", label: "fieldRetention", hint: "fieldRetentionHint", min: 0, max: 3650 },
  { key: "audit_log_days", label: "fieldAuditDays", hint: "fieldAuditDaysHint", min: 1, max: 3650 },
];

export function PrivacySettings() {
  const form = useOwnerSettingsForm(FIELDS);
  const t = useT();

  if (form.kind !== "ready")
    return (
      <section class="card form" aria-labelledby="privacy-title">
        <h2 id="privacy-title">{t.privacyKeepingHeading}</h2>
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
    <form class="card form" onSubmit={form.submit} aria-labelledby="privacy-title">
      <h2 id="privacy-title">{t.privacyKeepingHeading}</h2>
      {FIELDS.map((field) => (
        <NumberSettingField key={field.key} field={field} form={form} />
      ))}
      <SaveOutcome save={form.save} />
      <button type="submit" class="primary" disabled={form.save.busy}>
        {t.saveSettings}
      </button>
    </form>
  );
}
