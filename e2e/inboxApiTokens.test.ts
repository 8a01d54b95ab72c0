/**
 * API tokens in the inbox (Account page): an agent creates one and sees it once, a program uses
 * it, the list says when it was last used, and a revoke stops it at the next request. An owner
 * sees and revokes another agent's token.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { addAgent, buildInbox, loginInInbox } from "./support/inbox.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";

const skip = skipWithoutChromium();
const CY = { username: "cy", password: "cy's long password", name: "Cy" };

let parley: Parley;
let browser: Browser | undefined;

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
});

after(async () => {
  await browser?.close();
  await parley?.close();
});

async function cookieOf(credentials: { username: string; password: string }): Promise<string> {
  const response = await fetch(`${parley.url}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(credentials),
  });
  return (response.headers.get("set-cookie") ?? "").split(";")[0]!;
}

const whoIs = (token: string) =>
  fetch(`${parley.url}/auth/me`, { headers: { authorization: `Bearer ${token}` } });

test("an agent creates a token, a program uses it, and a revoke stops it", { skip }, async () => {
  browser = await launchChromium();
  const page = await browser.context.newPage();
  await loginInInbox(page, parley.url, OWNER);
  await page.getByRole("link", { name: "Account" }).click();

  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Token name").fill("CRM sync");
  await form.getByLabel("Access").selectOption("read_write");
  await form.getByLabel("Expires").selectOption("never");
  await form.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByLabel("New token");
  await shown.waitFor();
  const token = await shown.inputValue();
  assert.match(token, /^prl_[A-Za-z0-9_-]{43}$/);
  await page.getByText("it is shown only this once").waitFor();

  // A program uses it; the list then says it was used, and never shows the token again.
  assert.equal((await whoIs(token)).status, 200);
  await page.reload();
  const row = page.locator("li.token", { hasText: "CRM sync" });
  await row.getByText("last used").waitFor();
  await row.getByText("never expires").waitFor();
  assert.equal(await page.getByLabel("New token").count(), 0, "shown once: gone after a reload");
  assert.ok(!(await page.content()).includes(token), "the page never holds the token again");

  await row.getByRole("button", { name: "Revoke CRM sync" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await page.getByText("No tokens yet.").waitFor();
  assert.equal((await whoIs(token)).status, 401, "revoked: refused at the next request");
});

test("an owner sees and revokes another agent's token", { skip }, async () => {
  const ownerCookie = await cookieOf(OWNER);
  await addAgent(parley.url, ownerCookie, CY);
  const cyCookie = await cookieOf(CY);
  const created = await fetch(`${parley.url}/api_tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: cyCookie, origin: parley.url },
    body: JSON.stringify({ name: "Cy's script", scope: "read" }),
  });
  assert.equal(created.status, 201);
  const { token } = (await created.json()) as { token: string };
  assert.equal((await whoIs(token)).status, 200);

  browser ??= await launchChromium();
  const page = await browser.context.newPage();
  await page.goto(`${parley.url}/admin/account`);
  await page.getByRole("heading", { name: "API tokens" }).waitFor();
  assert.equal(
    await page.locator("li.token", { hasText: "Cy's script" }).count(),
    0,
    "only your own at first",
  );
  await page.getByLabel("Show every agent's tokens").check();
  const row = page.locator("li.token", { hasText: "Cy's script" });
  await row.getByText("Cy").first().waitFor();
  await row.getByRole("button", { name: "Revoke Cy's script" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await row.waitFor({ state: "detached" });
  assert.equal((await whoIs(token)).status, 401);
});
