/**
 * The inbox switched to Japanese: an agent picks 日本語 on Account and, at once and after a
 * reload, the page says lang="ja" and the navigation, the list, a conversation, the reply box,
 * the settings and the account speak Japanese, with none of the English UI strings left. A
 * browser whose language is French gets French by default. axe finds nothing on the Japanese list.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Page } from "playwright-core";
import { en } from "../packages/inbox/src/i18n/en.js";
import { fr } from "../packages/inbox/src/i18n/fr.js";
import { ja } from "../packages/inbox/src/i18n/ja.js";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { connectVisitor } from "./support/inboxVisitor.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";

const skip = skipWithoutChromium();
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let started: Parley | undefined;
async function parley(): Promise<Parley> {
  if (started) return started;
  buildInbox();
  started = await startParley();
  cleanups.push(() => started?.close());
  return started;
}

/** English strings each screen shows in English; in Japanese none of them may be left. */
const ENGLISH_ON = {
  frame: [
    en.navInbox,
    en.navContacts,
    en.navTeam,
    en.navSettings,
    en.navAccount,
    en.logOut,
    en.availabilityOnline,
  ],
  list: [
    en.viewMine,
    en.viewUnassigned,
    en.stateOpen,
    en.getNotifiedIntro,
    en.turnOnSound,
    en.getStarted,
    en.stepProfile,
    en.stepWidget,
    en.stepTeammate,
    en.pickConversation,
    en.assignedToYou,
    en.unassigned,
  ],
  conversation: [
    en.reply,
    en.note,
    en.send,
    en.replyHint,
    en.assignToMe,
    en.assignee,
    en.resolve,
    en.snoozeMenu,
    en.labelsMenu,
    en.details,
    en.delete,
  ],
  settings: [
    en.settingsHeading,
    en.tabSites,
    en.tabLabels,
    en.tabGeneral,
    en.sitesIntro,
    en.addASite,
    en.addSite,
  ],
  account: [
    en.accountHeading,
    en.languageHeading,
    en.languageIntro,
    en.yourName,
    en.saveName,
    en.passwordIntro,
    en.currentPassword,
    en.newPasswordAgain,
    en.changePassword,
    en.cannedIntro,
    en.manageCanned,
  ],
};

/** The English strings of this list still visible in the page. */
async function englishLeft(page: Page, strings: readonly string[]): Promise<string[]> {
  const text = await page.locator("body").innerText();
  return strings.filter((string) => text.includes(string));
}

test("the inbox switched to Japanese", { skip }, async () => {
  const server = await parley();
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.context.newPage();
  const inbox = inboxIn(page);

  await loginInInbox(page, server.url, OWNER);
  assert.equal(await page.locator("html").getAttribute("lang"), "en", "an en-US browser gets English");
  const yuki = await connectVisitor(server.url, "Yuki");
  cleanups.push(() => yuki.close());
  yuki.send("こんにちは");
  await inbox.row("Yuki").waitFor();

  // Account: the three languages, each written in its own, then 日本語, applied without a reload.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
  const choices = page.getByRole("group", { name: "Language" }).getByRole("radio");
  assert.deepEqual(await choices.evaluateAll((inputs) => inputs.map((input) => input.parentElement?.lang)), [
    "en",
    "fr",
    "ja",
  ]);
  assert.equal(await page.getByRole("radio", { name: "English" }).isChecked(), true);
  await page.getByRole("radio", { name: "Français" }).waitFor();
  await page.getByRole("radio", { name: "日本語" }).check();
  await page.getByRole("heading", { level: 1, name: ja.accountHeading }).waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "ja");
  assert.equal(await page.getByRole("radio", { name: "日本語" }).isChecked(), true);
  for (const text of [ja.languageHeading, ja.yourName, ja.changePassword, ja.manageCanned])
    await page.getByText(text, { exact: true }).first().waitFor();
  assert.deepEqual(await englishLeft(page, [...ENGLISH_ON.frame, ...ENGLISH_ON.account]), []);

  // The list.
  const nav = page.getByRole("navigation", { name: ja.navMain });
  await nav.getByRole("link", { name: ja.navInbox }).click();
  await page.getByRole("button", { name: ja.viewMine }).waitFor();
  await page.getByRole("searchbox", { name: ja.searchLabel }).waitFor();
  await page.getByRole("navigation", { name: ja.conversations }).waitFor();
  await page.getByText(ja.pickConversation).waitFor();
  assert.equal(await page.getByRole("combobox", { name: ja.stateFilter }).inputValue(), "open");
  assert.deepEqual(await englishLeft(page, [...ENGLISH_ON.frame, ...ENGLISH_ON.list]), []);
  const problems = await accessibilityProblems(page);
  assert.deepEqual(problems, [], "axe on the Japanese list");

  // A conversation and the reply box.
  await inbox.open("Yuki");
  const composer = page.getByRole("textbox", { name: ja.reply });
  await composer.waitFor();
  assert.equal(await composer.getAttribute("placeholder"), ja.replyPlaceholder);
  await page.getByText(ja.replyHint).waitFor();
  await page.getByRole("button", { name: ja.send }).waitFor();
  await page.getByRole("button", { name: ja.assignToMe }).waitFor();
  assert.deepEqual(await englishLeft(page, [...ENGLISH_ON.frame, ...ENGLISH_ON.conversation]), []);
  await composer.fill("少々お待ちください。");
  await composer.press("Enter");
  await page.locator(".thread .msg.mine[data-message-id]").waitFor();
  await page.getByRole("button", { name: ja.note, exact: true }).click();
  await page.getByText(ja.noteBanner).waitFor();

  // The settings.
  await nav.getByRole("link", { name: ja.navSettings }).click();
  await page.getByRole("heading", { level: 1, name: ja.settingsHeading }).waitFor();
  await page.getByRole("heading", { name: ja.addASite }).waitFor();
  assert.deepEqual(await englishLeft(page, [...ENGLISH_ON.frame, ...ENGLISH_ON.settings]), []);

  // The choice survives a reload.
  await page.reload();
  await nav.getByRole("link", { name: ja.navInbox }).waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "ja");
  assert.equal(await page.title(), ja.appTitle);
});

test("a browser in French gets the inbox in French by default", { skip }, async () => {
  const server = await parley();
  const browser = await launchChromium({ locale: "fr-FR" });
  cleanups.push(() => browser.close());
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/admin/login`);
  await page.getByRole("button", { name: fr.signIn }).waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "fr");
  await page.getByLabel(fr.username).fill(OWNER.username);
  await page.getByLabel(fr.password, { exact: true }).fill(OWNER.password);
  await page.getByRole("button", { name: fr.signIn }).click();
  await page.waitForURL(`${server.url}/admin/chats`);
  const nav = page.getByRole("navigation", { name: fr.navMain });
  await nav.getByRole("link", { name: fr.navAccount }).click();
  await page.getByRole("heading", { level: 1, name: fr.accountHeading }).waitFor();
  assert.equal(await page.getByRole("radio", { name: "Français" }).isChecked(), true);
  assert.deepEqual(
    await englishLeft(page, [...ENGLISH_ON.frame.filter((s) => s !== en.navContacts), ...ENGLISH_ON.account]),
    [],
  );
});
