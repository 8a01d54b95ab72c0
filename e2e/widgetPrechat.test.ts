/**
 * The pre-chat form (§12) in Chromium against a real server: a site that asks for an email
 * before the first message gets it from a French visitor in French, with a malformed address
 * refused in words and marks a screen reader finds (aria-invalid, the message as the field's
 * description, the focus on it), then accepted; the message the visitor wrote first is sent once
 * the contact has the email. Verified visitors are never asked.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import type { Site } from "@parley/protocol";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { contextOf, createSite, identityHash, identitySecret } from "./support/contacts.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();

let parley: Parley;
let shop: ThirdPartySite;
let browser: Browser;
let agent: Agent;
let cookie: string;
let site: Site;

before(async () => {
  if (skip) return;
  shop = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [shop.origin] });
  cookie = await login(parley.url);
  agent = await connectAgent(parley.url);
  site = await createSite(parley.url, cookie, {
    name: "Boutique",
    allowed_origins: [shop.origin],
    widget: { prechat: { name: "optional", email: "required" } },
  });
  browser = await launchChromium({ locale: "fr-FR" });
});

after(async () => {
  agent?.close();
  await browser?.close();
  await parley?.close();
  await shop?.close();
});

/** axe's findings of moderate impact or more in the widget, once its opening animation is over. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(async () => {
    const shadow = document.querySelector("parley-widget")?.shadowRoot;
    await Promise.all((shadow?.getAnimations() ?? []).map((animation) => animation.finished));
  });
  const results = await new AxeBuilder({ page }).include("parley-widget").analyze();
  return results.violations
    .filter((violation) => ["moderate", "serious", "critical"].includes(violation.impact ?? ""))
    .map(
      (violation) => `${violation.id}: ${violation.help} at ${JSON.stringify(violation.nodes[0]?.target)}`,
    );
}

/** The id of the element focused inside the widget's shadow root. */
function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => document.querySelector("parley-widget")?.shadowRoot?.activeElement?.id);
}

test(
  "a required email is asked first, in French: refused when malformed, then accepted, and the message goes",
  { skip },
  async () => {
    shop.setPage("/boutique", embedPage(parley.url, { attributes: `data-site="${site.key}"` }));
    const page = await browser.context.newPage();
    await page.goto(`${shop.origin}/boutique`);
    const widget = widgetIn(page);
    await widget.launcher.click();
    await widget.send("Bonjour, ma commande est en retard");

    const form = widget.host.locator("form.pf");
    await form.waitFor();
    // The message waits in the text box, unsent.
    assert.equal(await widget.input.inputValue(), "Bonjour, ma commande est en retard");
    assert.equal(await widget.bubbles.count(), 0);
    assert.equal(
      await form.locator("#pf-t").textContent(),
      "Avant de commencer, comment pouvons-nous vous joindre\u00a0?",
    );
    assert.equal(await form.locator("label[for=pf-name]").textContent(), "Nom");
    assert.equal(await form.locator("label[for=pf-email]").textContent(), "Adresse e-mail *");
    const email = form.locator("#pf-email");
    const name = form.locator("#pf-name");
    assert.equal(await email.getAttribute("required"), "");
    assert.equal(await name.getAttribute("required"), null);
    assert.equal(await focusedId(page), "pf-name", "the form takes the focus");

    // Nothing in a required field.
    await name.fill("Ada");
    await form.locator("button.ok").click();
    assert.equal(await email.getAttribute("aria-invalid"), "true");
    assert.equal(await form.locator("#pf-email-e").textContent(), "Indiquez votre adresse e-mail.");
    assert.equal(await focusedId(page), "pf-email");

    // A malformed address.
    await email.fill("ada@exemple");
    await email.press("Enter");
    assert.equal(await email.getAttribute("aria-invalid"), "true");
    assert.equal(await email.getAttribute("aria-describedby"), "pf-email-e");
    assert.equal(
      await form.locator("#pf-email-e").textContent(),
      "Indiquez une adresse e-mail de la forme nom@exemple.fr.",
    );
    assert.equal(await name.getAttribute("aria-invalid"), null);
    assert.equal(await focusedId(page), "pf-email");
    assert.deepEqual(await violations(page), [], "axe finds nothing in the form with its error");

    // Accepted: the form goes, the message is sent, once.
    await email.fill("ada@exemple.fr");
    await form.locator("button.ok").click();
    await form.waitFor({ state: "detached" });
    await widget.host.locator("li.v", { hasText: "ma commande est en retard" }).locator("time").waitFor();
    assert.equal(await widget.input.inputValue(), "");
    assert.deepEqual(await widget.texts(), ["Bonjour, ma commande est en retard"]);

    const message = await agent.next(
      "new_message",
      (event) => event.message.content === "Bonjour, ma commande est en retard",
    );
    assert.equal(message.visitor_name, "Ada");
    const { contact } = await contextOf(parley.url, cookie, message.conversation_id);
    assert.equal(contact?.email, "ada@exemple.fr");
    assert.equal(contact?.name, "Ada");
    assert.equal(contact?.verified, false);

    // The next message, and the next page, ask nothing more.
    await widget.send("Commande 1234");
    await widget.host.locator("li.v", { hasText: "Commande 1234" }).locator("time").waitFor();
    await page.reload();
    await widget.launcher.click();
    await widget.send("Merci");
    await widget.host.locator("li.v", { hasText: "Merci" }).locator("time").waitFor();
    assert.equal(await form.count(), 0);
    await page.close();
  },
);

test("a visitor the site's back end verified is not asked", { skip }, async () => {
  const secret = await identitySecret(parley.url, cookie, site.id);
  shop.setPage(
    "/compte",
    embedPage(parley.url, {
      attributes: `data-site="${site.key}"`,
      head: `<script>window.ParleySettings = { identify: { id: "client-9", hash: "${identityHash(secret, "client-9")}", email: "client9@exemple.fr" } };</script>`,
    }),
  );
  // A new visitor of the shop: nothing kept from the test before.
  shop.setPage("/blank", "<p>Blank</p>");
  const page = await browser.context.newPage();
  await page.goto(`${shop.origin}/blank`);
  await page.evaluate(() => localStorage.clear());
  await page.goto(`${shop.origin}/compte`);
  await page.waitForFunction((key) => localStorage.getItem(`parley.verified.${key}`), site.key);
  const widget = widgetIn(page);
  await widget.launcher.click();
  await widget.send("Bonjour");
  await widget.host.locator("li.v", { hasText: "Bonjour" }).locator("time").waitFor();
  assert.deepEqual(await widget.texts(), ["Bonjour"]);
  assert.equal(await widget.host.locator("form.pf").count(), 0);
  await page.close();
});
