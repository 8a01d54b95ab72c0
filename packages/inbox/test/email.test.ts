/**
 * (§16) Email in the inbox: an agent's alerts form and the PUT it becomes, what the status says
 * is still to set, the refusals each given their own words, the Email settings' address, the two
 * minutes settings saved like the general ones, and the "by email" words in every language.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { OwnerSettings } from "@parley/protocol";
import { en } from "../src/i18n/en.js";
import { fr } from "../src/i18n/fr.js";
import { ja } from "../src/i18n/ja.js";
import { alertsDraft, alertsRequest, emailRefusal, missingVariables } from "../src/state/email.js";
import { parseRoute, routePath } from "../src/state/routes.js";
import { settingsChanges, settingsDraft } from "../src/state/siteDraft.js";
import { ownerSettings } from "./fixtures.js";

test("the alerts form starts from what the server saved: no email is an empty field", () => {
  assert.deepEqual(
    alertsDraft({ email: null, email_alerts: "within_hours", email_alert_after_minutes: 10 }),
    { email: "", email_alerts: "within_hours", minutes: "10" },
  );
});

test("alerts become the PUT: a trimmed address, the choice, whole minutes", () => {
  assert.deepEqual(alertsRequest({ email: "  bea@example.com ", email_alerts: "always", minutes: " 15 " }), {
    request: { email: "bea@example.com", email_alerts: "always", email_alert_after_minutes: 15 },
  });
  // Turning alerts off may also clear the address.
  assert.deepEqual(alertsRequest({ email: " ", email_alerts: "off", minutes: "10" }), {
    request: { email: null, email_alerts: "off", email_alert_after_minutes: 10 },
  });
});

test("alerts refuse minutes outside 1–1440 or not whole, and alerts without an address", () => {
  for (const minutes of ["0", "1441", "", "2.5", "-3", "ten", "99999999"])
    assert.deepEqual(alertsRequest({ email: "a@b.example", email_alerts: "always", minutes }), {
      invalid: "minutes",
    });
  assert.deepEqual(alertsRequest({ email: "a@b.example", email_alerts: "always", minutes: "1440" }), {
    request: { email: "a@b.example", email_alerts: "always", email_alert_after_minutes: 1440 },
  });
  assert.deepEqual(alertsRequest({ email: "", email_alerts: "within_hours", minutes: "10" }), {
    invalid: "email",
  });
});

test("the status names the variables still to set: three for sending, IMAP_URL for answers", () => {
  assert.deepEqual(missingVariables({ sending: false, receiving: false }), [
    "SMTP_URL",
    "MAIL_FROM",
    "PUBLIC_URL",
    "IMAP_URL",
  ]);
  assert.deepEqual(missingVariables({ sending: true, receiving: false }), ["IMAP_URL"]);
  assert.deepEqual(missingVariables({ sending: true, receiving: true }), []);
});

test("refusals: 409 email is off, 400 a bad address, 422 no address; others keep the server's words", () => {
  assert.equal(emailRefusal(409), "off");
  assert.equal(emailRefusal(400), "badAddress");
  assert.equal(emailRefusal(422), "noAddress");
  assert.equal(emailRefusal(500), null);
  assert.equal(emailRefusal(403), null);
});

test("Settings → Email has its address", () => {
  assert.deepEqual(parseRoute("/admin/settings/email"), { page: "settings", section: "email" });
  assert.equal(routePath({ page: "settings", section: "email" }), "/admin/settings/email");
});

const SETTINGS = ownerSettings();
const EMAIL_KEYS = ["email_replies_after_minutes", "ask_email_after_minutes"] as const;

test("the two email minutes are saved like the general settings: only what changed", () => {
  const draft = settingsDraft(SETTINGS);
  assert.deepEqual(settingsChanges(SETTINGS, draft, new Set(), EMAIL_KEYS), { changes: {} });
  assert.deepEqual(
    settingsChanges(SETTINGS, { ...draft, email_replies_after_minutes: "0" }, new Set(), EMAIL_KEYS),
    { changes: { email_replies_after_minutes: 0 } },
  );
  assert.deepEqual(
    settingsChanges(SETTINGS, { ...draft, ask_email_after_minutes: "x" }, new Set(), EMAIL_KEYS),
    { invalid: "ask_email_after_minutes" },
  );
  // A key the environment fixes is never sent.
  assert.deepEqual(
    settingsChanges(
      SETTINGS,
      { ...draft, ask_email_after_minutes: "9" },
      new Set(["ask_email_after_minutes"]),
      EMAIL_KEYS,
    ),
    { changes: {} },
  );
});

test("a server from before §16 sends no email minutes: its defaults show and saving them changes nothing", () => {
  const { email_replies_after_minutes: _a, ask_email_after_minutes: _b, ...older } = SETTINGS;
  const settings = older as OwnerSettings;
  const draft = settingsDraft(settings);
  assert.equal(draft.email_replies_after_minutes, "5");
  assert.equal(draft.ask_email_after_minutes, "3");
  assert.deepEqual(settingsChanges(settings, draft, new Set(), EMAIL_KEYS), { changes: {} });
});

test("every language marks an answer by email, in the list's words too", () => {
  assert.deepEqual([en.byEmail, fr.byEmail, ja.byEmail], ["by email", "par e-mail", "メール経由"]);
  assert.equal(en.byEmailPreview("Thanks"), "(by email) Thanks");
  assert.match(ja.emailTestSent("a@b.example"), /a@b\.example/);
});
