/**
 * Settings → Privacy (owners, §17): how long resolved conversations and the audit log are kept,
 * saved like the general settings (only what changed, PATCH /settings).
 */
import { useT } from "../../i18n/index.js";
import { NumberSettingsCard, type NumberField } from "./ownerSettingsForm.js";

const FIELDS: NumberField[] = [
  { key: "retention_days", label: "fieldRetention", hint: "fieldRetentionHint", min: 0, max: 3650 },
  { key: "audit_log_days", label: "fieldAuditDays", hint: "fieldAuditDaysHint", min: 1, max: 3650 },
];

export function PrivacySettings() {
  const t = useT();
  return <NumberSettingsCard id="privacy-title" heading={t.privacyKeepingHeading} fields={FIELDS} />;
}
