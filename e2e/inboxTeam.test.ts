/**
 * The team pages: an owner adds, resets and removes agents; an agent renames themselves and
 * changes their password (which ends their sessions, so the inbox asks them to log in again).
 * The web push switch is disabled, with a note, while the server has no VAPID key route.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, loginInInbox } from "./support/inbox.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";

const skip = skipWithoutChromium();
const CY = { username: "cy", password: "cy's first password" };

let parley: Parley;
const browsers: Browser[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
});

after(async () => {
  for (const browser of browsers) await browser.close();
  await parley?.close();
});

async function page() {
  const browser = await launchChromium();
  browsers.push(browser);
  return browser.context.newPage();
}

test("owners manage the team; agents manage themselves", { skip }, async () => {
  const owner = await page();
  await loginInInbox(owner, parley.url, OWNER);
  await owner.getByRole("link", { name: "Team" }).click();
  const form = owner.getByRole("form", { name: "Add an agent" });
  await form.getByLabel("Username", { exact: true }).fill(CY.username);
  await form.getByLabel("Name (optional)").fill("Cy");
  await form.getByLabel("Password", { exact: true }).fill(CY.password);
  await form.getByRole("button", { name: "Add agent" }).click();
  await owner.getByText("Cy can now log in as cy.").waitFor();

  const cy = await page();
  await loginInInbox(cy, parley.url, CY);
  await cy.getByRole("link", { name: "Account" }).click();
  await cy.getByLabel("Name", { exact: true }).fill("Cyrus");
  await cy.getByRole("button", { name: "Save name" }).click();
  await cy.getByText("Saved.", { exact: false }).waitFor();
  await cy.locator(".top .me", { hasText: "Cyrus" }).waitFor();
  // The push switch: disabled with a note while the server has no VAPID key route.
  const pushSwitch = cy.getByLabel("Web push notifications on this device");
  await pushSwitch.waitFor();
  if ((await fetch(`${parley.url}/push/vapid_public_key`)).status === 404) {
    await cy.getByText("Web push is not set up on this server yet.").waitFor();
    assert.equal(await pushSwitch.isDisabled(), true);
  } else {
    await cy.locator("[data-push-note]", { hasNotText: "Checking web push" }).waitFor();
  }

  await cy.getByLabel("Current password").fill(CY.password);
  await cy.getByLabel("New password", { exact: true }).fill("cy's second password");
  await cy.getByLabel("New password again").fill("cy's second password");
  await cy.getByRole("button", { name: "Change password" }).click();
  await cy.waitForURL(`${parley.url}/admin/login`);
  await cy.getByText("Your password was changed. Log in with the new one.").waitFor();
  await loginInInbox(cy, parley.url, { username: CY.username, password: "cy's second password" });

  // The owner resets Cy's password: Cy's open inbox is sent to the login page.
  await owner.reload();
  const row = owner.locator("li.agent", { hasText: "Cyrus" });
  await row.getByRole("button", { name: "Reset password" }).click();
  await owner.getByRole("dialog").getByLabel("New password").fill("set by the owner");
  await owner.getByRole("dialog").getByRole("button", { name: "Set password" }).click();
  await row.getByText("Password changed", { exact: false }).waitFor();
  await cy.waitForURL(`${parley.url}/admin/login`);
  await cy.getByText("Your session has ended. Please log in again.").waitFor();

  await row.getByRole("button", { name: "Remove" }).click();
  await owner.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
  await row.waitFor({ state: "detached" });
  const refused = await fetch(`${parley.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: parley.url },
    body: JSON.stringify({ username: CY.username, password: "set by the owner" }),
  });
  assert.equal(refused.status, 401);
});
