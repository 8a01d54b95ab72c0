/**
 * The whole loop of an owner's setting (issue #11): a change saved in the inbox, in Chromium,
 * reaches a widget open on the site's own page, in another browser, without a reload.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Site, SiteResponse } from "@parley/protocol";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, loginInInbox } from "./support/inbox.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();

let parley: Parley;
let shop: ThirdPartySite;
let agent: Agent;
const browsers: Browser[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  shop = await startThirdPartySite();
  parley = await startParley();
  // The owner answers every site: connected, the site's widget shows the team online.
  agent = await connectAgent(parley.url);
});

after(async () => {
  agent?.close();
  for (const browser of browsers) await browser.close();
  await parley?.close();
  await shop?.close();
});

test("a title and colour saved in the inbox reach an open widget without a reload", { skip }, async () => {
  const cookie = await login(parley.url);
  const response = await fetch(`${parley.url}/sites`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: parley.url, cookie },
    body: JSON.stringify({
      name: "Garden shop",
      allowed_origins: [shop.origin],
      widget: { title: "Garden help" },
    }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const site: Site = ((await response.json()) as SiteResponse).site;

  // A visitor has the widget open on the shop's page.
  const visitorBrowser = await launchChromium();
  browsers.push(visitorBrowser);
  const visitorPage = await visitorBrowser.context.newPage();
  shop.setPage("/", embedPage(parley.url, { attributes: `data-site="${site.key}"` }));
  await visitorPage.goto(`${shop.origin}/`);
  const widget = widgetIn(visitorPage);
  await widget.launcher.click();
  await widget.panel.waitFor();
  await widget.host.locator("h2", { hasText: "Garden help" }).waitFor();
  await widget.host.locator(".h.on").waitFor();
  await visitorPage.evaluate(() => ((window as unknown as { marker: number }).marker = 7));

  // The owner changes the title and colour in the inbox's site editor and saves.
  const ownerBrowser = await launchChromium();
  browsers.push(ownerBrowser);
  const ownerPage = await ownerBrowser.context.newPage();
  await loginInInbox(ownerPage, parley.url, OWNER);
  await ownerPage.goto(`${parley.url}/admin/settings/sites/${site.id}`);
  const form = ownerPage.getByRole("form", { name: "Widget" });
  await form.getByLabel("Title").fill("Plant doctors");
  await form.getByLabel("Colour", { exact: true }).fill("#15803d");
  await form.getByRole("button", { name: "Save widget" }).click();
  await form.getByText("Saved.").waitFor();

  // The open widget shows them, on the same page.
  await widget.host.locator("h2", { hasText: "Plant doctors" }).waitFor();
  const header = await widget.host.locator(".h").evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(header, "rgb(21, 128, 61)");
  assert.equal(
    await visitorPage.evaluate(() => (window as unknown as { marker?: number }).marker),
    7,
    "no reload",
  );
});
