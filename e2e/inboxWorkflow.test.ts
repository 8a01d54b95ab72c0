/**
 * The team workflow in the inbox (§15), against the real server: a conversation snoozed until
 * the visitor replies comes back to Open when a stock visitor writes; labels made in Settings go
 * on a conversation and filter the list; the view counts move live when a visitor writes and
 * when a conversation is assigned; the availability switch decides the widget's `agents_online`;
 * and the new menus and settings pass axe and fit a phone, light and dark.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { WidgetConfig } from "@parley/protocol";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox, type InboxHandle } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

let parley: Parley;
let browser: Browser;
let inbox: InboxHandle;
const visitors: StockVisitor[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  browser = await launchChromium({ viewport: DESKTOP });
  inbox = inboxIn(await browser.context.newPage());
  await loginInInbox(inbox.page, parley.url, OWNER);
});

after(async () => {
  for (const visitor of visitors) visitor.close();
  await browser?.close();
  await parley?.close();
});

async function visitor(name: string): Promise<StockVisitor> {
  const connected = await connectVisitor(parley.url, name);
  visitors.push(connected);
  return connected;
}

function stateFilter(page: Page) {
  return page.getByRole("combobox", { name: "State" });
}

/** The number on an assignee view's tab, or null while it has none. */
async function count(page: Page, view: "mine" | "unassigned" | "all"): Promise<number | null> {
  const badge = page.locator(`.views button[data-view="${view}"] .view-count`);
  if ((await badge.count()) === 0) return null;
  const text = (await badge.textContent()) ?? "";
  return Number(/\d+/.exec(text)?.[0]);
}

async function counts(page: Page): Promise<[number | null, number | null, number | null]> {
  return [await count(page, "mine"), await count(page, "unassigned"), await count(page, "all")];
}

async function waitForCounts(page: Page, expected: [number, number, number], what: string): Promise<void> {
  await waitFor(what, async () => JSON.stringify(await counts(page)) === JSON.stringify(expected), 10_000);
}

test(
  "snoozed until the visitor replies, a stock visitor's message brings it back to Open live",
  { skip },
  async () => {
    const { page } = inbox;
    const sam = await visitor("Sam");
    sam.send("Can I change my order?");
    await inbox.row("Sam").waitFor();
    await inbox.open("Sam");

    await page.getByRole("button", { name: "Snooze…" }).click();
    await page.getByRole("button", { name: "Until the visitor replies" }).click();
    await page.locator(".thread-head", { hasText: "Snoozed until the visitor replies" }).waitFor();
    await inbox.row("Sam").waitFor({ state: "detached" });

    await stateFilter(page).selectOption("snoozed");
    await inbox.row("Sam").waitFor();
    assert.match(
      (await inbox.row("Sam").locator(".tag").textContent()) ?? "",
      /Snoozed until the visitor replies/,
    );
    await stateFilter(page).selectOption("open");
    await inbox.row("Sam").waitFor({ state: "detached" });

    sam.send("Hello again?");
    await inbox.row("Sam").waitFor();
    await page.locator(".thread-head .tag").waitFor({ state: "detached" });

    // A snooze to a time says when, in the header and the row.
    await page.getByRole("button", { name: "Snooze…" }).click();
    await page.getByRole("button", { name: "Tomorrow 9:00" }).click();
    await page.locator(".thread-head", { hasText: /Snoozed until \w+/ }).waitFor();
    assert.doesNotMatch((await page.locator(".thread-head .tag").textContent()) ?? "", /visitor replies/);
    // Pending, then resolved and reopened.
    await page.getByRole("button", { name: "Pending", exact: true }).click();
    await page.locator(".thread-head .tag", { hasText: "Pending" }).waitFor();
    await page.getByRole("button", { name: "Resolve", exact: true }).click();
    await page.locator(".thread-head .tag", { hasText: "Resolved" }).waitFor();
    await page.getByRole("button", { name: "Reopen", exact: true }).click();
    await page.locator(".thread-head .tag").waitFor({ state: "detached" });
  },
);

test(
  "labels: made in Settings, put on a conversation, shown as chips, filtered; deleting asks first",
  { skip },
  async () => {
    const { page } = inbox;
    await page.goto(`${parley.url}/admin/settings/labels`);
    const form = page.getByRole("form", { name: "Add a label" });
    for (const [name, color] of [
      ["VIP", "#ffeb3b"],
      ["Refund", "#1e3a8a"],
      ["Spam", "#e11d48"],
    ] as const) {
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Colour").fill(color);
      await form.getByRole("button", { name: "Add label" }).click();
      await page.locator(".labels-list .label-chip", { hasText: name }).waitFor();
    }
    // The chip's text reads on its colour: black on yellow, white on navy.
    const textOf = (name: string) =>
      page
        .locator(".labels-list .label-chip", { hasText: name })
        .evaluate((chip) => getComputedStyle(chip).color);
    assert.equal(await textOf("VIP"), "rgb(0, 0, 0)");
    assert.equal(await textOf("Refund"), "rgb(255, 255, 255)");
    // A name taken (ignoring case) is refused before asking the server.
    await form.getByLabel("Name").fill("vip");
    await form.getByRole("button", { name: "Add label" }).click();
    await form.getByRole("alert").filter({ hasText: "already a label" }).waitFor();
    // Rename.
    await page.getByRole("button", { name: "Edit Refund" }).click();
    const edit = page.getByRole("form", { name: "Edit the label Refund" });
    await edit.getByLabel("Name").fill("Refunds");
    await edit.getByRole("button", { name: "Save" }).click();
    await page.locator(".labels-list .label-chip", { hasText: "Refunds" }).waitFor();
    // Delete, after a confirmation; Cancel keeps it.
    await page.getByRole("button", { name: "Delete Spam" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("It comes off every conversation").waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    assert.equal(await page.locator(".labels-list .label-chip", { hasText: "Spam" }).count(), 1);
    await page.getByRole("button", { name: "Delete Spam" }).click();
    await dialog.getByRole("button", { name: "Delete" }).click();
    await page.locator(".labels-list .label-chip", { hasText: "Spam" }).waitFor({ state: "detached" });

    const vera = await visitor("Vera");
    vera.send("I want my money back");
    const walt = await visitor("Walt");
    walt.send("Just browsing");
    await page.getByRole("link", { name: "Inbox" }).click();
    await inbox.row("Vera").waitFor();
    await inbox.row("Walt").waitFor();
    await inbox.open("Vera");
    // The picker: keyboard only.
    const picker = page.getByRole("button", { name: "Labels…" });
    await picker.focus();
    await page.keyboard.press("Enter");
    const vip = page.getByRole("checkbox", { name: "VIP" });
    await vip.focus();
    await page.keyboard.press("Space");
    await page.locator(".thread-head .who-block .label-chip", { hasText: "VIP" }).waitFor();
    await page.getByRole("checkbox", { name: "Refunds" }).check();
    await page.locator(".thread-head .who-block .label-chip", { hasText: "Refunds" }).waitFor();
    await page.keyboard.press("Escape");
    assert.equal(await picker.getAttribute("aria-expanded"), "false");
    assert.equal(await picker.evaluate((button) => button === document.activeElement), true);
    await inbox.row("Vera").locator(".label-chip", { hasText: "VIP" }).waitFor();

    await page.getByRole("combobox", { name: "Label" }).selectOption({ label: "VIP" });
    // The list empties and loads again for the label (the server's label_id): Vera only.
    await inbox.row("Walt").waitFor({ state: "detached" });
    await inbox.row("Vera").waitFor();
    await page.locator(".conversations[aria-busy='false']").waitFor();
    assert.equal(await inbox.row("Walt").count(), 0);
    // Taking the label off drops it from the filtered list, live.
    await picker.click();
    await page.getByRole("checkbox", { name: "VIP" }).uncheck();
    await inbox.row("Vera").waitFor({ state: "detached" });
    await page.keyboard.press("Escape");
    await page.getByRole("combobox", { name: "Label" }).selectOption({ label: "Any label" });
    await inbox.row("Walt").waitFor();
  },
);

test(
  "the view counts move live when a visitor writes and when a conversation is assigned",
  { skip },
  async () => {
    const { page } = inbox;
    await page.goto(`${parley.url}/admin/chats`);
    await waitFor("the first counts", async () => (await count(page, "all")) !== null, 10_000);
    const [mine, unassigned, all] = (await counts(page)) as [number, number, number];
    const xena = await visitor("Xena");
    xena.send("New here");
    await waitForCounts(page, [mine, unassigned + 1, all + 1], "a new conversation counted");
    await inbox.open("Xena");
    await page.getByRole("button", { name: "Assign to me" }).click();
    await waitForCounts(page, [mine + 1, unassigned, all + 1], "the assignment counted");
    await page.locator('.views button[data-view="mine"]').click();
    await inbox.row("Xena").waitFor();
    await page.locator('.views button[data-view="all"]').click();
  },
);

test(
  "the availability switch decides the widget's agents_online; the team page shows it",
  { skip },
  async () => {
    const { page } = inbox;
    const online = async (): Promise<boolean> => {
      const response = await fetch(`${parley.url}/widget/config`);
      return ((await response.json()) as WidgetConfig).agents_online;
    };
    await waitFor("the widget online while the owner's inbox is", online, 10_000);
    const button = page.getByRole("button", { name: /^Availability: / });
    await button.click();
    await page.getByRole("button", { name: "Away", exact: true }).click();
    assert.equal(await button.getAttribute("aria-label"), "Availability: Away");
    await waitFor("the widget away", async () => !(await online()), 10_000);
    await page.getByRole("link", { name: "Team" }).click();
    await page.locator('[data-username="owner"] .agent-availability', { hasText: "Away" }).waitFor();
    await button.click();
    await page.getByRole("button", { name: "Online", exact: true }).click();
    await waitFor("the widget online again", online, 10_000);
    await page.locator('[data-username="owner"] .agent-availability', { hasText: "Online" }).waitFor();
  },
);

async function problemsIn(page: Page, screen: string, problems: string[]): Promise<void> {
  for (const colorScheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme });
    for (const problem of await accessibilityProblems(page))
      problems.push(`${screen}, ${colorScheme}: ${problem}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  const layout = await sidewaysOverflow(page);
  if (layout.wider.length > 0 || layout.scrollWidth > layout.viewportWidth)
    problems.push(`${screen}: wider than the screen: ${layout.wider.join(", ")} (${layout.scrollWidth} px)`);
}

for (const [size, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
  test(`the new menus and settings: axe finds nothing and all fits, ${size}`, { skip }, async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    const phoneInbox = inboxIn(page);
    const problems: string[] = [];
    await page.goto(`${parley.url}/admin/chats`);
    await phoneInbox.row("Vera").waitFor();
    await problemsIn(page, "the list with counts and filters", problems);
    await phoneInbox.open("Vera");
    const menu = page.getByRole("button", { name: "Conversation actions" });
    const openMenu = async (): Promise<void> => {
      if (size === "phone" && (await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
    };
    await openMenu();
    await page.getByRole("button", { name: "Snooze…" }).click();
    await problemsIn(page, "the snooze menu", problems);
    await page.keyboard.press("Escape");
    await openMenu();
    await page.getByRole("button", { name: "Labels…" }).click();
    await problemsIn(page, "the label picker", problems);
    await page.keyboard.press("Escape");
    if (size === "phone") {
      await page.keyboard.press("Escape");
      const head = await page.locator(".thread-head").boundingBox();
      assert.ok(head !== null && head.height < 90, `the phone header stays one row (${head?.height} px)`);
    }
    await page.getByRole("button", { name: /^Availability: / }).click();
    await problemsIn(page, "the availability menu", problems);
    await page.keyboard.press("Escape");
    await page.goto(`${parley.url}/admin/settings/labels`);
    await page.getByRole("form", { name: "Add a label" }).waitFor();
    await page.getByRole("button", { name: "Edit VIP" }).click();
    await problemsIn(page, "the labels settings", problems);
    await page.goto(`${parley.url}/admin/settings/general`);
    await page.getByRole("combobox", { name: "Assign new conversations" }).waitFor();
    await problemsIn(page, "the general settings", problems);
    await page.goto(`${parley.url}/admin/team`);
    await page.locator(".agent-availability").first().waitFor();
    await problemsIn(page, "the team", problems);
    await page.close();
    assert.deepEqual(problems, []);
  });
}
