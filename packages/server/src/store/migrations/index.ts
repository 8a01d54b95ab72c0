/**
 * Every migration, by name. Kysely runs them in name order and records each one it ran, so a
 * new migration gets the next number and an existing one is never edited once released.
 */
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { initialSchema } from "./001_initial.js";
import { jobsAndPush } from "./002_jobs_and_push.js";
import { attachmentsSchema } from "./003_attachments.js";
import { uploadAddresses } from "./004_upload_addresses.js";
import { sitesSchema } from "./005_sites.js";
import { apiTokens } from "./006_api_tokens.js";
import { contactsSchema } from "./007_contacts.js";
import { webhooksSchema } from "./008_webhooks.js";
import { avatarsSchema } from "./009_avatars.js";
import { statesLabelsSchema } from "./010_states_labels.js";
import { notesCannedAvailabilitySchema } from "./011_notes_canned_availability.js";
import { emailSchema } from "./012_email.js";
import { emailInSchema } from "./013_email_in.js";
import { auditLogSchema } from "./014_audit_log.js";
import { reportsRatingsSchema } from "./015_reports_ratings.js";
import { reportIndexes } from "./016_report_indexes.js";
import { webhookPendingOrder } from "./017_webhook_pending_order.js";
import { webhookContactOrder } from "./018_webhook_contact_order.js";
import { partialNullIndexes } from "./019_partial_null_indexes.js";

export function migrationsFor(engine: Engine): Record<string, Migration> {
  return {
    "001_initial": initialSchema(engine),
    "002_jobs_and_push": jobsAndPush(engine),
    "003_attachments": attachmentsSchema(engine),
    "004_upload_addresses": uploadAddresses(engine),
    "005_sites": sitesSchema(engine),
    "006_api_tokens": apiTokens(engine),
    "007_contacts": contactsSchema(engine),
    "008_webhooks": webhooksSchema(engine),
    "009_avatars": avatarsSchema(engine),
    "010_states_labels": statesLabelsSchema(engine),
    "011_notes_canned_availability": notesCannedAvailabilitySchema(engine),
    "012_email": emailSchema(engine),
    "013_email_in": emailInSchema(engine),
    "014_audit_log": auditLogSchema(engine),
    "015_reports_ratings": reportsRatingsSchema(engine),
    "016_report_indexes": reportIndexes(),
    "017_webhook_pending_order": webhookPendingOrder(),
    "018_webhook_contact_order": webhookContactOrder(engine),
    "019_partial_null_indexes": partialNullIndexes(),
  };
}
