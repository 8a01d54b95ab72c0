/**
 * Privacy in the inbox (§17), against a real server: the owner sets how long resolved
 * conversations are kept on Settings → Privacy (saved, kept after a reload); downloads a
 * contact's data (a ZIP archive); erases the contact after typing the word, sees the counts, and
 * the conversation leaves the list; the audit log shows the sign-in, the download and the
 * erasure, filters by action and loads more; a conversation without a contact is erased from
 * its actions menu. The new pages pass axe in both themes and fit a phone.
 */
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { AuditLogResponse, Contact, Conversation, OwnerSettingsResponse } from "@parley/protocol";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { connectContextVisitor, leaveDetails, type ContextVisitor } from "./support/contextVisitor.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { connectVisitor } from "./support/inboxVisitor.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();

let parley: Parley;
const browsers: Browser[] = [];
const visitors: ContextVisitor[] = [];
let page: Page;

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  page = await ownerPage();
});

after(async () => {
  for (const visitor of visitors) visitor.close();
  for (const browser of browsers) await browser.close();
  await parley?.close();
});

async function ownerPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const browser = await launchChromium({ viewport });
  browsers.push(browser);
  const opened = await browser.context.newPage();
  await loginInInbox(opened, parley.url, OWNER);
  return opened;
}

/** The body of a GET made with the page's own session. */
async function getJson<T>(path: string): Promise<T> {
  return page.evaluate(async (url) => (await fetch(url)).json() as Promise<unknown>, path) as Promise<T>;
}

/** A visitor who wrote and left a name and email: a contact with one conversation. */
async function contactWithConversation(name: string, email: string): Promise<Contact> {
  const visitor = await connectContextVisitor(parley.url, { name });
  visitors.push(visitor);
  visitor.send(`Hello, ${name} here`);
  await leaveDetails(parley.url, { token: visitor.token, name, email });
  const conversation = await waitFor(`${name}'s conversation with a contact`, async () => {
    const { conversations } = await getJson<{ conversations: Conversation[] }>(
      `/conversations?q=${encodeURIComponent(name)}`,
    );
    return conversations.find((one) => one.visitor_name === name && one.contact_id !== null);
  });
  return (await getJson<{ contact: Contact }>(`/contacts/${conversation.contact_id}`)).contact;
}

async function checkAxeBothThemes(what: string): Promise<void> {
  assert.deepEqual(await accessibilityProblems(page), [], what);
  await page.emulateMedia({ colorScheme: "dark" });
  assert.deepEqual(await accessibilityProblems(page), [], `${what}, in the dark theme`);
  await page.emulateMedia({ colorScheme: "light" });
}

test("Settings → Privacy saves the retention days, kept after a reload", { skip }, async () => {
  await page.goto(`${parley.url}/admin/settings`);
  await page.getByRole("link", { name: "Privacy", exact: true }).click();
  await page.waitForURL(`${parley.url}/admin/settings/privacy`);
  const form = page.getByRole("form", { name: "How long data is kept" });
  const retention = form.getByLabel(/Delete resolved conversations after/);
  await retention.waitFor();
  assert.equal(await retention.inputValue(), "0");
  assert.equal(await form.getByLabel(/Keep the audit log for/).inputValue(), "365");
  await form.getByText(/0: keep forever/).waitFor();

  await retention.fill("30");
  await form.getByRole("button", { name: "Save settings" }).click();
  await form.getByRole("status").waitFor();
  const saved = await getJson<OwnerSettingsResponse>("/settings");
  assert.equal(saved.settings.retention_days, 30);
  assert.equal(saved.settings.audit_log_days, 365);

  await page.reload();
  await form.getByLabel(/Delete resolved conversations after/).waitFor();
  assert.equal(await form.getByLabel(/Delete resolved conversations after/).inputValue(), "30");
  await checkAxeBothThemes("Settings → Privacy");
});

test(
  "a contact's data downloads as a ZIP archive; erasing it asks for the word and the conversation leaves",
  { skip },
  async () => {
    const contact = await contactWithConversation("Greta Privacy", "greta@example.test");
    await page.goto(`${parley.url}/admin/contacts/${contact.id}`);
    const privacy = page.getByRole("region", { name: "Privacy" });
    await privacy.waitFor();

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      privacy.getByRole("link", { name: "Download data" }).click(),
    ]);
    const path = await download.path();
    const bytes = await readFile(path);
    assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK", "a ZIP archive starts with PK");

    await privacy.getByRole("button", { name: "Erase…" }).click();
    const dialog = page.getByRole("dialog", { name: "Erase this contact and all their data?" });
    await dialog.getByText(/every conversation of Greta Privacy/).waitFor();
    await checkAxeBothThemes("the erase dialog");
    // A wrong word is refused in the page, and nothing is erased.
    await dialog.getByLabel(/Type “erase” to confirm/).fill("eras");
    await dialog.getByRole("button", { name: "Erase", exact: true }).click();
    await dialog
      .getByRole("alert")
      .getByText(/Type “erase” to erase/)
      .waitFor();
    assert.equal((await getJson<{ contact?: Contact }>(`/contacts/${contact.id}`)).contact?.id, contact.id);

    await dialog.getByLabel(/Type “erase” to confirm/).fill("erase");
    await dialog.getByRole("button", { name: "Erase", exact: true }).click();
    const counts = page.getByRole("dialog", { name: "Erased" }).getByRole("status");
    await counts.getByText(/Deleted: 1 conversations, \d+ messages, 0 files, 1 contacts\./).waitFor();
    await page.getByRole("dialog", { name: "Erased" }).getByRole("button", { name: "Close" }).click();
    await page.waitForURL(`${parley.url}/admin/contacts`);

    const inbox = inboxIn(page);
    await page.goto(`${parley.url}/admin/chats`);
    await waitFor("the erased conversation to leave the list", async () =>
      (await inbox.row("Greta Privacy").count()) === 0 ? true : undefined,
    );
    const { conversations } = await getJson<{ conversations: Conversation[] }>(
      `/conversations?q=${encodeURIComponent("Greta Privacy")}`,
    );
    assert.deepEqual(conversations, []);
  },
);

test(
  "the audit log shows the sign-in, the download and the erasure, and filters by action",
  { skip },
  async () => {
    await page.goto(`${parley.url}/admin/settings/audit`);
    const table = page.getByRole("table", { name: "Audit log" });
    await table.waitFor();
    const rows = table.locator("tbody tr");
    await rows.filter({ hasText: "Signed in" }).first().waitFor();
    await rows.filter({ hasText: "Contact's data downloaded" }).first().waitFor();
    const erased = rows.filter({ hasText: "Contact erased" }).first();
    await erased.waitFor();
    assert.match((await erased.textContent()) ?? "", /owner/);
    assert.match((await erased.textContent()) ?? "", /conversations: 1/);
    // Newest first, as the server gives them.
    const server = await getJson<AuditLogResponse>("/audit_log");
    assert.equal(await rows.count(), server.entries.length);

    await page.getByLabel("Action", { exact: true }).selectOption({ label: "Contact erased" });
    await waitFor("only erasures", async () => {
      const texts = await rows.allTextContents();
      return texts.length === 1 && texts[0]!.includes("Contact erased") ? true : undefined;
    });
    await checkAxeBothThemes("the audit log");

    const phone = await ownerPage({ width: 390, height: 844 });
    for (const section of ["audit", "privacy"]) {
      await phone.goto(`${parley.url}/admin/settings/${section}`);
      await phone.locator(section === "audit" ? ".audit-table" : "form.card").waitFor();
      const overflow = await sidewaysOverflow(phone);
      assert.deepEqual(overflow.wider, [], `${section} on a phone`);
      assert.ok(overflow.scrollWidth <= overflow.viewportWidth, `${section}: no sideways scroll`);
    }
  },
);

test(
  "a conversation without a contact is erased from its actions menu; the counts show in the notice",
  { skip },
  async () => {
    const visitor = await connectVisitor(parley.url, "Lone Visitor");
    visitor.send("No name, no email");
    const inbox = inboxIn(page);
    await page.goto(`${parley.url}/admin/chats`);
    await inbox.open("Lone Visitor");
    const conversationId = Number(/\/admin\/chats\/(\d+)/.exec(page.url())?.[1]);
    assert.ok(conversationId > 0);
    await page.getByRole("button", { name: "Erase…" }).click();
    const dialog = page.getByRole("dialog", { name: "Erase this conversation and all its data?" });
    await dialog.getByText(/the conversation with Lone Visitor/).waitFor();
    await dialog.getByLabel(/Type “erase” to confirm/).fill("Erase");
    await dialog.getByRole("button", { name: "Erase", exact: true }).click();
    await page
      .getByRole("status")
      .getByText(/Deleted: 1 conversations, 1 messages, 0 files, 0 contacts\./)
      .waitFor();
    await page.waitForURL(`${parley.url}/admin/chats`);
    await waitFor("the erased conversation to leave the list", async () =>
      (await inbox.row("Lone Visitor").count()) === 0 ? true : undefined,
    );
    const status = await page.evaluate(
      async (url) => (await fetch(url)).status,
      `/conversations/${conversationId}`,
    );
    assert.equal(status, 404);
    visitor.close();
  },
);

test("the audit log loads 50 entries at a time, and Load more brings the next ones", { skip }, async () => {
  // Sixty settings changes: sixty entries, more than one page.
  await page.goto(`${parley.url}/admin/settings/privacy`);
  const statuses = await page.evaluate(async () => {
    const answers: number[] = [];
    for (let index = 0; index < 60; index++) {
      const response = await fetch("/settings", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ retention_days: 100 + index }),
      });
      answers.push(response.status);
    }
    return answers;
  });
  assert.deepEqual(new Set(statuses), new Set([200]));

  await page.goto(`${parley.url}/admin/settings/audit`);
  const rows = page.getByRole("table", { name: "Audit log" }).locator("tbody tr");
  await waitFor("the first page", async () => ((await rows.count()) === 50 ? true : undefined));
  await page.getByRole("button", { name: "Load more" }).click();
  const total = (await getJson<AuditLogResponse>("/audit_log?limit=200")).entries.length;
  assert.ok(total > 60);
  await waitFor("the next page", async () =>
    (await rows.count()) === Math.min(total, 100) ? true : undefined,
  );
  assert.match((await rows.first().textContent()) ?? "", /Settings changed/);
});
