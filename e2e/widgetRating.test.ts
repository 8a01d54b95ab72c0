/**
 * Satisfaction ratings (§18) in Chromium against a real server: a visitor chats on a third-party
 * page, an agent answers and resolves in the inbox, the widget then fetches its rating chunk
 * (never before) and shows the card; it is clean for axe, a Send without a score is refused in
 * words, the visitor picks a score with the keyboard and writes a comment, the card thanks them,
 * and the inbox shows the rating in the conversation's header, live (axe-clean too).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();

let parley: Parley;
let shop: ThirdPartySite;
let browser: Browser;

before(async () => {
  if (skip) return;
  buildInbox();
  shop = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [shop.origin] });
  shop.setPage("/help", embedPage(parley.url));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await parley?.close();
  await shop?.close();
});

test(
  "resolved in the inbox: the widget loads the rating card then, the visitor rates, the inbox shows it",
  { skip },
  async () => {
    const page = await browser.context.newPage();
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(`${shop.origin}/help`);
    const widget = widgetIn(page);
    await widget.launcher.click();
    await widget.send("My parcel is late");
    await waitFor("the message stored", async () => (await widget.texts()).includes("My parcel is late"));
    const token = await page.evaluate(() => localStorage.getItem("parley.token"));
    const conversation = await parley.server.store.findConversationByToken(token!);
    assert.ok(conversation);

    // The agent answers and resolves in the inbox.
    const inbox = inboxIn(await browser.context.newPage());
    await loginInInbox(inbox.page, parley.url, OWNER);
    await inbox.page.goto(`${parley.url}/admin/chats/${conversation.id}`);
    await inbox.composer.waitFor();
    await inbox.reply("It ships today, sorry for the wait");
    await waitFor("the reply in the widget", async () =>
      (await widget.texts()).includes("It ships today, sorry for the wait"),
    );
    assert.ok(
      !scripts.some((path) => path.endsWith("/widget-rating.js")),
      `the rating chunk is not fetched before a rating is asked for (fetched: ${scripts.join(", ")})`,
    );
    await inbox.page.getByRole("button", { name: "Resolve", exact: true }).click();

    const card = widget.host.locator(".rt form");
    await card.waitFor();
    assert.ok(
      scripts.some((path) => path.endsWith("/widget-rating.js")),
      "fetched once asked",
    );
    assert.equal(await card.locator("legend").textContent(), "How was this conversation?");
    const radios = card.getByRole("radio");
    assert.equal(await radios.count(), 5);
    assert.deepEqual(await Promise.all([0, 4].map((index) => radios.nth(index).getAttribute("value"))), [
      "1",
      "5",
    ]);
    assert.equal(await card.getByRole("radio", { name: "Very good" }).count(), 1);

    // Send without a score: refused in words, the focus on the first choice.
    await card.getByRole("button", { name: "Send" }).click();
    assert.equal(await widget.host.locator("#rt-e").textContent(), "Choose a rating first.");

    const axe = await new AxeBuilder({ page }).include("parley-widget").analyze();
    const problems = axe.violations.filter((one) =>
      ["moderate", "serious", "critical"].includes(one.impact ?? ""),
    );
    assert.deepEqual(
      problems.map((one) => `${one.id} at ${JSON.stringify(one.nodes[0]?.target)}`),
      [],
      "axe finds nothing in the widget with the rating card and its error",
    );

    // The keyboard: arrows move the choice within the group, Tab goes on to the comment.
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.equal(await card.locator("input:checked").getAttribute("value"), "4");
    assert.equal(await widget.host.locator("#rt-e").textContent(), "", "a choice clears the refusal");
    await page.keyboard.press("Tab");
    await page.keyboard.type("Quick and kind");
    assert.equal(await card.getByLabel("Anything to add? (optional)").inputValue(), "Quick and kind");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");

    const said = widget.host.locator(".rt [role=status]");
    await waitFor("the thanks", async () => (await said.textContent()) === "Thank you for your feedback!");
    assert.equal(await card.count(), 0, "the card gives way to the thanks");

    // The inbox shows it live in the header: score in words, the comment, who it is credited to.
    const badge = inbox.page.locator(".thread-head .rating");
    await badge.waitFor();
    assert.equal(await badge.getAttribute("data-score"), "4");
    const text = (await badge.textContent()) ?? "";
    assert.match(text, /Rated 4 out of 5/);
    assert.match(text, /Quick and kind/);
    assert.match(text, /for \S+/);
    assert.deepEqual(
      await accessibilityProblems(inbox.page),
      [],
      "axe finds nothing in the inbox with the rating",
    );
    const stored = await parley.server.store.getConversation(conversation.id);
    assert.deepEqual(
      { score: stored?.rating?.score, comment: stored?.rating?.comment },
      { score: 4, comment: "Quick and kind" },
    );

    // A reload asks nothing again: it was rated.
    await page.reload();
    await widget.launcher.click();
    await waitFor("the history", async () => (await widget.texts()).includes("My parcel is late"));
    assert.equal(await widget.host.locator(".rt form").count(), 0);
    await page.close();
    await inbox.page.close();
  },
);
