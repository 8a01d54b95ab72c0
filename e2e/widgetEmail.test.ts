/**
 * Email from the widget's side (§16) in Chromium against a real server that sends through a real
 * SMTP server in the test process: while the team is away, a visitor's first message brings the
 * card "Get the reply by email"; the address (refused in words while malformed) lands on the
 * contact; "Email me a transcript" sends one (a visitor without an address is asked for one);
 * a reply email's link opened in a fresh browser shows the conversation, and leaves the address
 * bar clean; a forged link is taken out and the widget starts as a new visitor's.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { login } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import AxeBuilder from "@axe-core/playwright";
import { asAgent, contextOf } from "./support/contacts.js";
import {
  bringForward,
  emailEnv,
  mailTo,
  reopenUrlIn,
  startSmtpServer,
  type TestSmtpServer,
  VISITOR_REPLIES_JOB,
} from "./support/email.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";
import type { Locator } from "playwright-core";

const skip = skipWithoutChromium();

let smtp: TestSmtpServer;
let parley: Parley;
let shop: ThirdPartySite;
let browser: Browser;
let cookie: string;
/** The first visitor's: their token and conversation, for the reply email. */
let token: string;
let conversationId: number;

const ADA = "ada@visitor.example";

before(async () => {
  if (skip) return;
  smtp = await startSmtpServer();
  shop = await startThirdPartySite();
  // No agent is connected all along: the team is away.
  parley = await startParley({ allowedOrigins: [shop.origin], env: emailEnv(smtp) });
  shop.setPage("/orders", embedPage(parley.url));
  cookie = await login(parley.url);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await parley?.close();
  await shop?.close();
  await smtp?.stop();
});

/** The widget's email part in the panel. */
function mailPart(page: Page) {
  const host = widgetIn(page).host;
  return {
    card: host.locator(".ml form"),
    field: host.locator("#me"),
    error: host.locator("#me-e"),
    said: host.locator(".ml [role=status]"),
    replies: host.locator(".mb button", { hasText: "Email me the replies" }),
    transcript: host.locator(".mb button", { hasText: "Email me a transcript" }),
  };
}

/** Waits until `line` says `text`; a timeout names what it said instead. */
async function says(line: Locator, text: string): Promise<void> {
  let last: string | null = null;
  try {
    await waitFor(`"${text}"`, async () => (last = await line.textContent()) === text);
  } catch {
    assert.fail(`expected "${text}", the widget said "${last}"`);
  }
}

function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(() => localStorage.getItem("parley.token"));
}

test(
  "away team: the card asks after the first message; the address lands on the contact",
  { skip },
  async () => {
    const page = await browser.context.newPage();
    await page.goto(`${shop.origin}/orders`);
    const widget = widgetIn(page);
    const mail = mailPart(page);
    await widget.launcher.click();
    assert.equal(await mail.card.count(), 0, "nothing about email before a first message");
    await widget.send("Where is my order 1234?");

    await mail.card.waitFor();
    assert.equal(await mail.card.locator("label[for=me]").textContent(), "Get the reply by email");
    assert.equal(await mail.field.getAttribute("type"), "email");
    // Shown by the widget, it does not take the focus from the text box.
    assert.notEqual(
      await page.evaluate(() => document.querySelector("parley-widget")?.shadowRoot?.activeElement?.id),
      "me",
    );

    await mail.field.fill("ada@visitor");
    await mail.field.press("Enter");
    assert.equal(await mail.error.textContent(), "Enter an email address like name@example.com.");
    assert.equal(await mail.field.getAttribute("aria-invalid"), "true");
    assert.equal(await mail.field.getAttribute("aria-describedby"), "me-e");
    await page.evaluate(async () => {
      const shadow = document.querySelector("parley-widget")?.shadowRoot;
      await Promise.all((shadow?.getAnimations() ?? []).map((animation) => animation.finished));
    });
    const axe = await new AxeBuilder({ page }).include("parley-widget").analyze();
    const problems = axe.violations.filter((one) =>
      ["moderate", "serious", "critical"].includes(one.impact ?? ""),
    );
    assert.deepEqual(
      problems.map((one) => `${one.id} at ${JSON.stringify(one.nodes[0]?.target)}`),
      [],
      "axe finds nothing in the widget with the card and its error",
    );

    await mail.field.fill(ADA);
    await mail.card.locator("button[type=submit]").click();
    await says(mail.said, `We'll email you at ${ADA}.`);
    assert.ok(await mail.card.isHidden());
    assert.ok(await mail.replies.isHidden(), "the replies go by email now");

    token = (await storedToken(page))!;
    const conversation = await parley.server.store.findConversationByToken(token);
    assert.ok(conversation);
    conversationId = conversation.id;
    const { contact } = await contextOf(parley.url, cookie, conversationId);
    assert.equal(contact?.email, ADA);
    assert.equal(contact?.locale, "en");

    // The confirmation is dismissed; a reload asks nothing again.
    await widget.host.locator(".mo button", { hasText: "Dismiss" }).click();
    assert.equal(await mail.said.textContent(), "");
    await page.reload();
    await widget.launcher.click();
    await mail.transcript.waitFor();
    assert.ok(await mail.card.isHidden());
    await page.close();
  },
);

test(
  "a transcript goes to the contact's address; a visitor without one is asked for it",
  { skip },
  async () => {
    const page = await browser.context.newPage();
    await page.goto(`${shop.origin}/orders`);
    const widget = widgetIn(page);
    const mail = mailPart(page);
    await widget.launcher.click();
    const before = smtp.messages.slice();
    await mail.transcript.click();
    await says(mail.said, "We've sent the transcript to your email.");
    const transcript = await mailTo(smtp, ADA, before);
    assert.match(transcript.text ?? "", /Where is my order 1234\?/);
    await page.close();

    // A new visitor (another browser), who declines the ask, then wants a transcript.
    const other = await launchChromium();
    try {
      const fresh = await other.context.newPage();
      await fresh.goto(`${shop.origin}/orders`);
      const widget = widgetIn(fresh);
      const part = mailPart(fresh);
      await widget.launcher.click();
      await widget.send("Do you ship to Canada?");
      await part.card.waitFor();
      await part.card.locator("button", { hasText: "No thanks" }).click();
      assert.ok(await part.card.isHidden());
      await part.transcript.click();
      await part.card.waitFor();
      assert.equal(await part.card.locator("label").textContent(), "Where should we send the transcript?");
      assert.equal(
        await fresh.evaluate(() => document.querySelector("parley-widget")?.shadowRoot?.activeElement?.id),
        "me",
        "asked for by the visitor, the field takes the focus",
      );
      await part.field.fill("bob@visitor.example");
      await part.field.press("Enter");
      await says(part.said, "We've sent the transcript to bob@visitor.example.");
      const sent = await mailTo(smtp, "bob@visitor.example");
      assert.match(sent.text ?? "", /Do you ship to Canada\?/);
    } finally {
      await other.close();
    }
  },
);

test(
  "a reply email's link opens the conversation in a fresh browser; the address bar loses it",
  { skip },
  async () => {
    // The visitor has left: no page of theirs is open, so the reply goes by email.
    for (const open of browser.context.pages()) await open.close();
    await waitFor("the visitor to be gone", async () => {
      const { conversation } = await asAgent<{ conversation: { visitor_online: boolean } }>(
        parley.url,
        cookie,
        "GET",
        `/conversations/${conversationId}`,
      );
      return !conversation.visitor_online;
    });
    const before = smtp.messages.slice();
    await asAgent(parley.url, cookie, "POST", `/conversations/${conversationId}/messages`, {
      content: "It ships tomorrow.",
    });
    await bringForward(parley.server.store, VISITOR_REPLIES_JOB);
    const reply = await mailTo(smtp, ADA, before);
    const url = reopenUrlIn(reply);
    assert.ok(url.startsWith(`${shop.origin}/orders#parley=`), url);

    const elsewhere = await launchChromium();
    try {
      const page = await elsewhere.context.newPage();
      await page.goto(url);
      const widget = widgetIn(page);
      await widget.panel.waitFor();
      await widget.host.locator("li.a", { hasText: "It ships tomorrow." }).waitFor();
      assert.deepEqual(await widget.texts(), ["Where is my order 1234?", "It ships tomorrow."]);
      assert.equal(await page.evaluate(() => location.hash), "");
      assert.equal(page.url(), `${shop.origin}/orders`);
      assert.equal(await storedToken(page), token, "this browser is the contact's now");
      // The link came by email: nothing to ask.
      await mailPart(page).transcript.waitFor();
      assert.ok(await mailPart(page).card.isHidden());
    } finally {
      await elsewhere.close();
    }
  },
);

test("a forged link is taken out and the widget starts as a new visitor's", { skip }, async () => {
  const elsewhere = await launchChromium();
  try {
    const page = await elsewhere.context.newPage();
    await page.goto(`${shop.origin}/orders#parley=eyJjIjo0Mn0.forged-signature`);
    await waitFor("the link to go", async () => (await page.evaluate(() => location.hash)) === "");
    const widget = widgetIn(page);
    assert.ok(await widget.panel.isHidden());
    assert.notEqual(await storedToken(page), token);
    await widget.launcher.click();
    await widget.send("Hello?");
    await widget.host.locator("li.v", { hasText: "Hello?" }).locator("time").waitFor();
    assert.deepEqual(await widget.texts(), ["Hello?"]);
    const mine = await storedToken(page);
    assert.ok(mine && mine !== token);
  } finally {
    await elsewhere.close();
  }
});

test(
  "on a phone, in Japanese, the card fits the screen and works with the keyboard alone",
  { skip },
  async () => {
    const phone = await launchChromium({
      viewport: { width: 390, height: 844 },
      phone: true,
      locale: "ja-JP",
    });
    try {
      const page = await phone.context.newPage();
      await page.goto(`${shop.origin}/orders`);
      const widget = widgetIn(page);
      const mail = mailPart(page);
      await widget.launcher.click();
      await widget.send("注文について");
      await mail.card.waitFor();
      assert.equal(await mail.card.locator("label").textContent(), "返信をメールで受け取る");
      const box = await mail.card.boundingBox();
      assert.ok(
        box && box.x >= 0 && box.x + box.width <= 390,
        `the card fits the width: ${JSON.stringify(box)}`,
      );
      await mail.field.focus();
      await page.keyboard.type("hana@visitor.example");
      await page.keyboard.press("Enter");
      await says(mail.said, "hana@visitor.example にメールでお知らせします。");
      // Focus moved to the confirmation's button; Enter dismisses it.
      await page.keyboard.press("Enter");
      await says(mail.said, "");
      const token = (await page.evaluate(() => localStorage.getItem("parley.token")))!;
      const conversation = await parley.server.store.findConversationByToken(token);
      const { contact } = await contextOf(parley.url, cookie, conversation!.id);
      assert.equal(contact?.email, "hana@visitor.example");
      assert.equal(contact?.locale, "ja");
    } finally {
      await phone.close();
    }
  },
);
