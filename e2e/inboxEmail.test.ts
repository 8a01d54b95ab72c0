/**
 * Email in the inbox (§16), against a real server whose outbox speaks SMTP to a real SMTP server
 * in this process: the owner's Settings → Email shows the status, sends a test email that arrives,
 * and saves the two minutes settings; a server without email says which variables turn it on; an
 * agent sets their email alerts; Send transcript from a conversation arrives by email (and a
 * visitor without an email is asked for an address); a contact who unsubscribed is marked; the
 * page in Japanese speaks Japanese.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { AgentEmailResponse, Conversation, OwnerSettingsResponse } from "@parley/protocol";
import { ja } from "../packages/inbox/src/i18n/ja.js";
import type { ParsedMail } from "mailparser";
import { startSmtpServer, type TestSmtpServer } from "../packages/server/test/support/smtpServer.js";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { leaveDetails } from "./support/contextVisitor.js";
import { addAgent, buildInbox, inboxIn, loginInInbox, type InboxHandle } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();
const FROM = "help@parley.test";
const AGENT = { username: "bea", password: "bea's long password", name: "Bea" };

let smtp: TestSmtpServer;
let parley: Parley;
let browser: Browser;
let inbox: InboxHandle;
const cleanups: (() => Promise<void> | void)[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  smtp = await startSmtpServer();
  cleanups.push(() => smtp.stop());
  parley = await startParley({
    env: {
      SMTP_URL: smtp.url,
      MAIL_FROM: `Parley Help <${FROM}>`,
      PUBLIC_URL: "http://127.0.0.1:9",
    },
  });
  cleanups.push(() => parley.close());
  browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  cleanups.push(() => browser.close());
  inbox = inboxIn(await browser.context.newPage());
  await loginInInbox(inbox.page, parley.url, OWNER);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The body of a GET made with the page's own session. */
async function getJson<T>(page: Page, path: string): Promise<T> {
  return page.evaluate(async (url) => (await fetch(url)).json() as Promise<unknown>, path) as Promise<T>;
}

/** The first email the SMTP server took for this address (waiting for it to come). */
async function mailTo(address: string): Promise<ParsedMail> {
  return waitFor(
    `an email to ${address}`,
    () => smtp.messages.find((mail) => addressesOf(mail).includes(address)),
    15_000,
  );
}

function addressesOf(mail: ParsedMail): string[] {
  const to = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to];
  return to.flatMap((group) => group.value.map((one) => one.address ?? ""));
}

async function visitor(name: string): Promise<StockVisitor> {
  const connected = await connectVisitor(parley.url, name);
  cleanups.push(() => connected.close());
  return connected;
}

test(
  "Settings → Email shows the status, and a test email arrives at the owner's address",
  { skip },
  async () => {
    const { page } = inbox;
    await page.goto(`${parley.url}/admin/settings`);
    await page.getByRole("link", { name: "Email", exact: true }).click();
    await page.waitForURL(`${parley.url}/admin/settings/email`);
    await page.getByRole("heading", { level: 2, name: "Status" }).waitFor();

    const status = page.locator(".email-status");
    await status.getByText(`Parley Help <${FROM}>`).waitFor();
    assert.equal(
      await status
        .locator("dt", { hasText: "Sending" })
        .locator("xpath=following-sibling::dd[1]")
        .textContent(),
      "On",
    );
    assert.equal(
      await status
        .locator("dt", { hasText: "Reading answers" })
        .locator("xpath=following-sibling::dd[1]")
        .textContent(),
      "Off",
    );
    // Receiving is off here: the page says what turns it on, and where to read how.
    await page.getByText(/set IMAP_URL/).waitFor();
    await page.getByText("docs/email.md", { exact: false }).waitFor();
    assert.equal(await page.getByText(/Sending is off/).count(), 0);

    const form = page.getByRole("form", { name: "Send a test email" });
    await form.getByLabel("Email address").fill("owner@example.test");
    await form.getByRole("button", { name: "Send a test email" }).click();
    await form.getByRole("status").getByText("Sent to owner@example.test: check the inbox.").waitFor();
    const mail = await mailTo("owner@example.test");
    assert.equal(mail.from?.value[0]?.address, FROM);

    // An address the server refuses says so in words, under the form.
    await form.getByLabel("Email address").fill("not-an-address@");
    await form.getByRole("button", { name: "Send a test email" }).click();
    await form.getByRole("alert").getByText("That is not a valid email address.").waitFor();
    assert.equal(smtp.messages.length, 1);

    assert.deepEqual(await accessibilityProblems(page), []);
    await page.emulateMedia({ colorScheme: "dark" });
    assert.deepEqual(await accessibilityProblems(page), [], "in the dark theme");
    await page.emulateMedia({ colorScheme: "light" });
  },
);

test("Settings → Email saves the two minutes settings like the general ones", { skip }, async () => {
  const { page } = inbox;
  await page.goto(`${parley.url}/admin/settings/email`);
  const form = page.getByRole("form", { name: "When email goes out" });
  const replies = form.getByLabel(/Email a reply the visitor has not seen/);
  const ask = form.getByLabel(/Ask for the visitor's email/);
  assert.equal(await replies.inputValue(), "5");
  assert.equal(await ask.inputValue(), "3");
  await replies.fill("12");
  await ask.fill("0");
  await form.getByRole("button", { name: "Save settings" }).click();
  await form.getByRole("status").waitFor();
  const saved = await getJson<OwnerSettingsResponse>(page, "/settings");
  assert.equal(saved.settings.email_replies_after_minutes, 12);
  assert.equal(saved.settings.ask_email_after_minutes, 0);

  await page.reload();
  assert.equal(await form.getByLabel(/Email a reply the visitor has not seen/).inputValue(), "12");
});

test("an agent sets their email alerts on Account, saved and kept", { skip }, async () => {
  const cookie = (await browser.context.cookies(parley.url)).map((c) => `${c.name}=${c.value}`).join("; ");
  await addAgent(parley.url, cookie, AGENT);
  const agentBrowser = await launchChromium({ viewport: { width: 1280, height: 900 } });
  cleanups.push(() => agentBrowser.close());
  const page = await agentBrowser.context.newPage();
  await loginInInbox(page, parley.url, AGENT);
  await page.goto(`${parley.url}/admin/account`);

  const form = page.getByRole("form", { name: "Email alerts" });
  const email = form.getByLabel("Your email");
  await email.waitFor();
  assert.equal(await form.getByLabel("Within the site's hours").isChecked(), true);

  // Alerts without an address are refused before asking the server.
  await form.getByRole("button", { name: "Save email alerts" }).click();
  await form
    .getByRole("alert")
    .getByText(/need your email address/)
    .waitFor();

  await email.fill("bea@example.test");
  await form.getByLabel("Always").check();
  await form.getByLabel(/Alert when a visitor has waited/).fill("2000");
  await form.getByRole("button", { name: "Save email alerts" }).click();
  await form
    .getByRole("alert")
    .getByText(/1 to 1440/)
    .waitFor();

  await form.getByLabel(/Alert when a visitor has waited/).fill("25");
  await form.getByRole("button", { name: "Save email alerts" }).click();
  await form.getByRole("status").getByText("Email alerts saved.").waitFor();
  assert.deepEqual(await getJson<AgentEmailResponse>(page, "/agents/me/email"), {
    email: "bea@example.test",
    email_alerts: "always",
    email_alert_after_minutes: 25,
  });

  await page.reload();
  await form.getByLabel("Your email").waitFor();
  assert.equal(await form.getByLabel("Your email").inputValue(), "bea@example.test");
  assert.equal(await form.getByLabel("Always").isChecked(), true);
  assert.equal(await form.getByLabel(/Alert when a visitor has waited/).inputValue(), "25");
  assert.deepEqual(await accessibilityProblems(page), []);
});

test("Send transcript: to the visitor's email, or another address; none asks for one", { skip }, async () => {
  const { page } = inbox;
  const sam = await visitor("Sam");
  sam.send("Where is my parcel 4417?");
  await leaveDetails(parley.url, { token: sam.token, email: "sam@example.test" });
  const noa = await visitor("Noa");
  noa.send("Just browsing");

  await page.goto(`${parley.url}/admin/chats`);
  await inbox.row("Sam").waitFor();
  await inbox.open("Sam");
  await inbox.reply("It left the depot this morning.");
  await page.locator(".thread .msg.out:not(.sending) .bubble", { hasText: "depot" }).waitFor();
  // The contact's email shows beside the conversation.
  await page.locator(".details .contact-card").getByText("sam@example.test").waitFor();

  await page.getByRole("button", { name: "Send transcript…" }).click();
  const dialog = page.getByRole("dialog", { name: "Send the transcript by email" });
  await dialog.waitFor();
  assert.deepEqual(await accessibilityProblems(page), [], "the transcript dialog");
  await dialog.getByRole("button", { name: "Send", exact: true }).click();
  await dialog.getByRole("status").getByText("Transcript sent to the visitor's email.").waitFor();
  const toSam = await mailTo("sam@example.test");
  assert.match(toSam.text ?? "", /parcel 4417/);
  assert.match(toSam.text ?? "", /left the depot/);

  await dialog.getByLabel("Email address").fill("lead@example.test");
  await dialog.getByRole("button", { name: "Send", exact: true }).click();
  await dialog.getByRole("status").getByText("Transcript sent to lead@example.test.").waitFor();
  const toLead = await mailTo("lead@example.test");
  assert.match(toLead.text ?? "", /parcel 4417/);
  await dialog.getByRole("button", { name: "Close" }).click();
  await dialog.waitFor({ state: "detached" });

  await inbox.open("Noa");
  await page.getByRole("button", { name: "Send transcript…" }).click();
  await dialog.getByRole("button", { name: "Send", exact: true }).click();
  await dialog.getByRole("alert").getByText("This visitor left no email: enter an address.").waitFor();
  await waitFor("the address field focused", () =>
    dialog.getByLabel("Email address").evaluate((field) => field === document.activeElement),
  );
  await dialog.getByRole("button", { name: "Cancel" }).click();
});

test("on a phone, Send transcript sits behind the actions menu and its dialog fits", { skip }, async () => {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const phone = inboxIn(page);
  await page.goto(`${parley.url}/admin/chats`);
  await phone.open("Sam");
  await page.getByRole("button", { name: "Conversation actions" }).click();
  await page.getByRole("button", { name: "Send transcript…" }).click();
  await page.getByRole("dialog", { name: "Send the transcript by email" }).waitFor();
  const overflow = await sidewaysOverflow(page);
  assert.deepEqual(overflow.wider, [], `nothing wider than ${overflow.viewportWidth} px`);
  assert.deepEqual(await accessibilityProblems(page), []);
  await page.close();
});

test("a contact who unsubscribed is marked so beside the conversation", { skip }, async () => {
  const { page } = inbox;
  await page.goto(`${parley.url}/admin/chats`);
  await inbox.open("Sam");
  const id = Number(/\/admin\/chats\/(\d+)$/.exec(page.url())?.[1]);
  const { conversation } = await getJson<{ conversation: Conversation }>(page, `/conversations/${id}`);
  assert.notEqual(conversation.contact_id, null);
  const card = page.locator(".details .contact-card");
  await card.getByText("sam@example.test").waitFor();
  assert.equal(await card.locator(".tag.unsubscribed").count(), 0);

  // What the one-click link does (the server's own tests cover the link): the contact's mark.
  const now = new Date().toISOString();
  await parley.server.store.updateContact(conversation.contact_id ?? 0, {
    emailUnsubscribedAt: now,
    at: now,
  });
  await page.reload();
  await card.locator(".tag.unsubscribed", { hasText: "Unsubscribed" }).waitFor();
  assert.match(
    (await card.locator(".tag.unsubscribed").getAttribute("title")) ?? "",
    /^No more reply emails/,
  );
});

test("in Japanese, Settings → Email and the transcript dialog speak Japanese", { skip }, async () => {
  const { page } = inbox;
  await page.goto(`${parley.url}/admin/account`);
  await page.getByLabel("日本語").check();
  await page.locator("html[lang=ja]").waitFor();
  await page.goto(`${parley.url}/admin/settings/email`);
  await page.getByRole("heading", { level: 2, name: ja.emailStatusHeading }).waitFor();
  for (const text of [ja.emailSending, ja.emailReceiving, ja.emailTimingHeading, ja.emailTestIntro])
    await page.getByText(text, { exact: true }).first().waitFor();
  await page.getByRole("button", { name: ja.emailTestSend }).waitFor();
  const body = (await page.locator("main").textContent()) ?? "";
  for (const english of ["Sending", "Reading answers", "When email goes out", "Send a test email"])
    assert.equal(body.includes(english), false, `"${english}" is left in English`);

  await page.goto(`${parley.url}/admin/chats`);
  await inbox.row("Sam").click();
  await page.getByRole("button", { name: ja.sendTranscript }).click();
  await page.getByRole("dialog", { name: ja.transcriptTitle }).waitFor();
  await page.getByRole("button", { name: ja.cancel }).click();

  await page.goto(`${parley.url}/admin/account`);
  await page.getByRole("heading", { level: 2, name: ja.emailAlertsHeading }).waitFor();
  await page.getByLabel("English").check();
});

test("a server without email says which variables turn it on", { skip }, async () => {
  const plain = await startParley();
  cleanups.push(() => plain.close());
  // Its own browser: cookies do not tell ports apart, and the other server's session must stay.
  const plainBrowser = await launchChromium();
  cleanups.push(() => plainBrowser.close());
  const page = await plainBrowser.context.newPage();
  await loginInInbox(page, plain.url, OWNER);
  await page.goto(`${plain.url}/admin/settings/email`);
  await page.getByText(/Sending is off: set SMTP_URL, MAIL_FROM, PUBLIC_URL/).waitFor();
  await page.getByText(/set IMAP_URL/).waitFor();
  const form = page.getByRole("form", { name: "Send a test email" });
  await form.getByLabel("Email address").fill("owner@example.test");
  await form.getByRole("button", { name: "Send a test email" }).click();
  await form.getByRole("alert").getByText("Email is not configured on this server.").waitFor();
});
