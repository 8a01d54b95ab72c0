/**
 * Webhooks in the inbox (protocol §13), against a real server and a real HTTPS receiver on
 * loopback (its certificate trusted through WEBHOOK_CA_FILE, as an internal CA would be): an
 * owner adds a webhook in the site editor (Slack's refusal shown as the server says it), copies
 * the secret shown once, a visitor's message arrives signed and the log says so; the receiver then
 * fails, the log says that, and Resend sends the same event again; disable, delete. The section
 * passes axe in light and dark, and fits a phone.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { Webhook } from "@parley/protocol";
import { Receiver, testCertificate, verifySignature } from "../packages/server/test/webhooks/receiver.js";
import { login } from "./support/agent.js";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, loginInInbox } from "./support/inbox.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { connectSiteVisitor, type SiteVisitor } from "./support/siteVisitor.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();
const PHONE = { width: 390, height: 844 };

let parley: Parley;
let receiver: Receiver;
let ownerCookie: string;
const browsers: Browser[] = [];
const visitors: SiteVisitor[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  receiver = await Receiver.start();
  parley = await startParley({
    env: {
      WEBHOOK_ALLOW_PRIVATE: "true",
      WEBHOOK_CA_FILE: testCertificate().caFile,
      // One quick retry, so a failing receiver is a failed delivery within the test.
      WEBHOOK_RETRY_SCHEDULE: "0.2",
      WEBHOOK_TIMEOUT_MS: "3000",
      RATE_LIMIT_PER_MINUTE: "1000",
    },
  });
  ownerCookie = await login(parley.url);
});

after(async () => {
  for (const visitor of visitors) visitor.close();
  for (const browser of browsers) await browser.close();
  await parley?.close();
  await receiver?.close();
});

async function ownerPage(viewport?: { width: number; height: number }): Promise<Page> {
  const browser = await launchChromium(viewport === undefined ? {} : { viewport });
  browsers.push(browser);
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: parley.url });
  const page = await browser.context.newPage();
  await loginInInbox(page, parley.url, OWNER);
  await page.goto(`${parley.url}/admin/settings/sites/1`);
  await page.getByRole("heading", { name: "Webhooks", level: 3 }).waitFor();
  return page;
}

async function webhooksOverRest(): Promise<Webhook[]> {
  const response = await fetch(`${parley.url}/sites/1/webhooks`, {
    headers: { cookie: ownerCookie, origin: parley.url },
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { webhooks: Webhook[] }).webhooks;
}

async function visitorSays(name: string, content: string): Promise<void> {
  const visitor = await connectSiteVisitor(parley.url, { name, origin: parley.url });
  visitors.push(visitor);
  visitor.send(content);
}

/** The bodies the receiver got, parsed. */
const bodies = () =>
  receiver.received.map((entry) => JSON.parse(entry.body) as { id: string; type: string; data: unknown });

test(
  "an owner adds a webhook, sees deliveries land, fail and be resent, then disables and deletes it",
  { skip },
  async () => {
    const page = await ownerPage();
    const section = page.getByRole("region", { name: "Webhooks" });
    const form = section.getByRole("form", { name: "Add a webhook" });
    const host = receiver.url.replace("https://", "");

    // Slack takes two events only: the server's refusal is shown as it words it.
    await form.getByLabel("URL (https://)").fill(receiver.url);
    await form.getByLabel("Format").selectOption("slack");
    await form.getByLabel("A conversation is assigned").check();
    await form.getByRole("button", { name: "Add webhook" }).click();
    await form.getByRole("alert").filter({ hasText: "a slack webhook takes only" }).waitFor();
    assert.match(
      (await form.getByRole("alert").textContent()) ?? "",
      /conversation\.created and message\.created, not conversation\.assigned/,
    );
    assert.equal(await form.getByLabel("URL (https://)").inputValue(), receiver.url, "kept as typed");
    assert.deepEqual(await webhooksOverRest(), []);

    await form.getByLabel("Format").selectOption("parley");
    await form.getByLabel("A conversation is assigned").uncheck();
    await form.getByRole("button", { name: "Add webhook" }).click();
    const shown = section.getByLabel("New webhook's signing secret");
    await shown.waitFor();
    const secret = await shown.inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
    await section.getByRole("button", { name: "Copy secret" }).click();
    await section.getByRole("button", { name: "Copied" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await section.getByRole("button", { name: "Done" }).click();
    await shown.waitFor({ state: "detached" });
    const [created] = await webhooksOverRest();
    assert.ok(created);
    assert.deepEqual(created.events, ["conversation.created", "message.created"]);
    assert.equal(created.url, receiver.url);

    // A visitor writes: the receiver gets both events, signed with that secret.
    await visitorSays("Hook visitor", "Hello webhooks");
    await waitFor("two deliveries at the receiver", () => receiver.received.length >= 2, 20_000);
    assert.deepEqual(
      bodies().map((body) => body.type),
      ["conversation.created", "message.created"],
    );
    for (const entry of receiver.received)
      assert.ok(
        verifySignature(secret, String(entry.headers["parley-signature"]), entry.body),
        "signed with the secret shown once",
      );

    const row = section.locator("li.webhook", { hasText: host });
    await row.getByRole("button", { name: `Show deliveries to ${host}` }).click();
    const log = row.getByRole("list", { name: `Deliveries to ${host}, newest first` });
    const lines = log.locator("li.delivery");
    const delivered = lines
      .filter({ hasText: "A message is written" })
      .and(lines.filter({ hasText: "Delivered" }));
    await delivered.first().waitFor();
    assert.match((await delivered.first().textContent()) ?? "", /HTTP 200 · \d+(\.\d)? m?s · 1 attempt/);
    assert.equal(await log.locator('li.delivery[data-status="delivered"]').count(), 2);

    // The receiver fails: two attempts (the one retry), then the log says failed, with the 500.
    receiver.answer = () => 500;
    await visitorSays("Hook visitor 2", "This one fails");
    await waitFor("two failed attempts at the receiver", () => receiver.received.length >= 6, 20_000);
    await row.getByRole("button", { name: `Refresh deliveries to ${host}` }).click();
    const failed = log.locator('li.delivery[data-status="failed"]', { hasText: "A message is written" });
    await failed.waitFor({ timeout: 15_000 });
    assert.match((await failed.textContent()) ?? "", /HTTP 500 · .* · 2 attempts/);
    // The row says so too, read again with the log.
    await row.locator(".webhook-state", { hasText: "On, but failing for less than a minute" }).waitFor();
    const failedId = Number(await failed.getAttribute("data-delivery-id"));
    const failedEventId = bodies().at(-1)?.id;
    assert.equal(bodies().at(-1)?.type, "message.created");

    // Resend: a new line, first in the log, and the same event at the receiver, signed again.
    receiver.answer = () => 200;
    const before = receiver.received.length;
    await failed.getByRole("button", { name: `Resend delivery ${failedId}, A message is written` }).click();
    const resent = log.locator("li.delivery").first();
    await waitFor(
      "the resend's line at the top",
      async () => Number(await resent.getAttribute("data-delivery-id")) > failedId,
    );
    await waitFor("the resend at the receiver", () => receiver.received.length > before, 20_000);
    const again = receiver.received.at(-1)!;
    assert.equal((JSON.parse(again.body) as { id: string }).id, failedEventId, "the same event id");
    assert.ok(verifySignature(secret, String(again.headers["parley-signature"]), again.body));
    await log.locator("li.delivery").first().and(log.locator('[data-status="delivered"]')).waitFor();
    // The server ends the failure run just after it logs the delivery: Refresh reads both again.
    await waitFor("the row back to plain On", async () => {
      await row.getByRole("button", { name: `Refresh deliveries to ${host}` }).click();
      return (await row.locator(".webhook-state", { hasText: /^On$/ }).count()) === 1;
    });

    // The secret again, on request.
    await row.getByRole("button", { name: `Reveal secret for ${host}` }).click();
    assert.equal(await row.getByLabel(`Signing secret for ${host}`).inputValue(), secret);

    // Disable: said plainly, and the server agrees.
    await row.getByRole("button", { name: `Disable ${host}` }).click();
    await row.getByText("Disabled by an owner").waitFor();
    assert.equal((await webhooksOverRest())[0]?.enabled, false);
    await row.getByRole("button", { name: `Enable ${host}` }).waitFor();

    // Axe on the section as it is now (a disabled row, its log, a secret), light and dark.
    const problems: string[] = [];
    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const problem of await accessibilityProblems(page)) problems.push(`${colorScheme}: ${problem}`);
    }
    await page.emulateMedia({ colorScheme: "light" });
    assert.deepEqual(problems, []);

    // Delete, behind a question.
    await row.getByRole("button", { name: `Delete ${host}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete webhook" }).click();
    await section.getByText("No webhooks yet.").waitFor();
    assert.deepEqual(await webhooksOverRest(), []);
  },
);

test("the section and a delivery log fit a 390 px phone", { skip }, async () => {
  const longUrl = `${receiver.url}/${"a".repeat(120)}?${"b".repeat(80)}`;
  const response = await fetch(`${parley.url}/sites/1/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: ownerCookie, origin: parley.url },
    body: JSON.stringify({ url: longUrl, events: ["message.created"] }),
  });
  assert.equal(response.status, 201);
  receiver.answer = () => 500;
  const count = receiver.received.length;
  await visitorSays("Phone visitor", "A message for the phone's log");
  await waitFor("the failed attempts", () => receiver.received.length >= count + 2, 20_000);

  const page = await ownerPage(PHONE);
  const section = page.getByRole("region", { name: "Webhooks" });
  const row = section.locator("li.webhook").first();
  await row.getByRole("button", { name: /^Show deliveries to/ }).click();
  await row.locator('li.delivery[data-status="failed"]').waitFor({ timeout: 15_000 });
  await row.getByRole("button", { name: /^Reveal secret for/ }).click();
  await row.getByLabel(/^Signing secret for/).waitFor();
  await section.scrollIntoViewIfNeeded();
  const layout = await sidewaysOverflow(page);
  assert.deepEqual(layout.wider, [], `elements past the right edge of a ${layout.viewportWidth} px screen`);
  assert.ok(layout.scrollWidth <= layout.viewportWidth, `the page is ${layout.scrollWidth} px wide`);
});

test("Load more follows the log's cursor to older deliveries, each shown once", { skip }, async () => {
  for (const webhook of await webhooksOverRest()) {
    const removed = await fetch(`${parley.url}/sites/1/webhooks/${webhook.id}`, {
      method: "DELETE",
      headers: { cookie: ownerCookie, origin: parley.url },
    });
    assert.equal(removed.status, 200);
  }
  receiver.answer = () => 200;
  const response = await fetch(`${parley.url}/sites/1/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: ownerCookie, origin: parley.url },
    body: JSON.stringify({ url: receiver.url, events: ["message.created"] }),
  });
  assert.equal(response.status, 201);
  const count = receiver.received.length;
  const visitor = await connectSiteVisitor(parley.url, { name: "Many messages", origin: parley.url });
  visitors.push(visitor);
  for (let index = 1; index <= 25; index++) visitor.send(`Message ${index}`);
  await waitFor("25 deliveries at the receiver", () => receiver.received.length >= count + 25, 30_000);

  const page = await ownerPage();
  const section = page.getByRole("region", { name: "Webhooks" });
  const row = section.locator("li.webhook").first();
  await row.getByRole("button", { name: /^Show deliveries to/ }).click();
  const lines = row.locator("li.delivery");
  await waitFor("the first page", async () => (await lines.count()) === 20);
  await row.getByRole("button", { name: /^Load more deliveries/ }).click();
  await waitFor("the older page", async () => (await lines.count()) === 25);
  await row.getByRole("button", { name: /^Load more deliveries/ }).waitFor({ state: "detached" });
  const ids = (
    await lines.evaluateAll((items) => items.map((item) => item.getAttribute("data-delivery-id")))
  ).map(Number);
  assert.deepEqual(
    ids,
    [...ids].sort((one, other) => other - one),
    "newest first",
  );
  assert.equal(new Set(ids).size, 25, "each delivery once");
});
