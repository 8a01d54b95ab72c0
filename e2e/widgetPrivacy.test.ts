/**
 * The privacy notice link (protocol §18), in Chromium against a real server: a site with a
 * `privacy_url` shows "Privacy" under the text box, opening the notice in a new tab that cannot
 * reach back to the page; a site without shows no link; the link is translated, readable in the
 * visitor's light and dark colour schemes (axe), and follows the owner's change live.
 */
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { CreateSiteRequest, Site, SiteResponse, UpdateSiteRequest } from "@parley/protocol";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const SERIOUS = new Set(["moderate", "serious", "critical"]);
const NOTICE = "https://shop.example/legal/privacy?lang=en";

let parley: Parley;
let shop: ThirdPartySite;
let browser: Browser;
let agent: Agent;
let cookie: string;

before(async () => {
  if (skip) return;
  shop = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [shop.origin] });
  cookie = await login(parley.url);
  // The owner answers every site: with them connected, agents are online on each.
  agent = await connectAgent(parley.url);
  browser = await launchChromium();
});

after(async () => {
  agent?.close();
  await browser?.close();
  await parley?.close();
  await shop?.close();
});

async function asOwner(method: string, path: string, body: unknown): Promise<Site> {
  const response = await fetch(`${parley.url}${path}`, {
    method,
    headers: { "content-type": "application/json", origin: parley.url, cookie },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return (JSON.parse(text) as SiteResponse).site;
}

const createSite = (request: Omit<CreateSiteRequest, "allowed_origins">) =>
  asOwner("POST", "/sites", { ...request, allowed_origins: [shop.origin] });
const updateSite = (id: number, request: UpdateSiteRequest) => asOwner("PATCH", `/sites/${id}`, request);

/** A shop page with `site`'s widget, opened. */
async function openWidget(site: Site, path: string, page?: Page): Promise<Page> {
  shop.setPage(path, embedPage(parley.url, { attributes: `data-site="${site.key}"` }));
  const tab = page ?? (await browser.context.newPage());
  await tab.goto(`${shop.origin}${path}`);
  const widget = widgetIn(tab);
  await widget.launcher.click();
  await widget.panel.waitFor();
  return tab;
}

const privacyLinks = (page: Page) =>
  widgetIn(page).panel.locator("a", { hasText: /Privacy|Confidentialité|プライバシー/ });

/** The panel opens with an animation; boxes and contrast are only stable after it. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const shadow = document.querySelector("parley-widget")?.shadowRoot;
    await Promise.all((shadow?.getAnimations() ?? []).map((animation) => animation.finished));
  });
}

async function violations(page: Page): Promise<string[]> {
  await settled(page);
  const results = await new AxeBuilder({ page }).include("parley-widget").analyze();
  return results.violations
    .filter((violation) => SERIOUS.has(violation.impact ?? ""))
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} at ${JSON.stringify(violation.nodes.map((n) => n.target))}`,
    );
}

test(
  "a site with a privacy notice links it under the text box: new tab, no opener, no referrer",
  { skip },
  async () => {
    const site = await createSite({ name: "Legal shop", widget: { privacy_url: NOTICE } });
    const page = await openWidget(site, "/with-notice");
    const link = widgetIn(page).panel.getByRole("link", { name: "Privacy", exact: true });
    await link.waitFor();
    assert.equal(await link.getAttribute("href"), NOTICE);
    assert.equal(await link.getAttribute("target"), "_blank");
    assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
    assert.equal((await link.textContent())?.trim(), "Privacy", "text only");
    assert.equal(await link.locator("*").count(), 0, "no icon or markup inside");
    // Under the composer: below the text box, inside the panel, measured once it stopped moving.
    await settled(page);
    const box = (await widgetIn(page).input.boundingBox())!;
    const linkBox = (await link.boundingBox())!;
    const panel = (await widgetIn(page).panel.boundingBox())!;
    assert.ok(linkBox.y >= box.y + box.height, "below the text box");
    assert.ok(linkBox.y + linkBox.height <= panel.y + panel.height + 0.5, "inside the panel");

    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      assert.deepEqual(await violations(page), [], colorScheme);
    }
    await page.close();
  },
);

test("a site without a privacy notice shows no link, and axe finds nothing", { skip }, async () => {
  const site = await createSite({ name: "Plain shop" });
  assert.equal(site.widget.privacy_url, null);
  const page = await openWidget(site, "/without-notice");
  assert.equal(await privacyLinks(page).count(), 0);
  assert.equal(await widgetIn(page).panel.locator("a[target=_blank]").count(), 0);
  assert.deepEqual(await violations(page), []);
  await page.close();
});

test(
  "the link speaks the visitor's language and follows the owner's change without a reload",
  { skip },
  async () => {
    const site = await createSite({ name: "Boutique", widget: { privacy_url: NOTICE } });
    for (const [locale, word] of [
      ["fr-FR", "Confidentialité"],
      ["ja-JP", "プライバシー"],
    ] as const) {
      const local = await launchChromium({ locale });
      try {
        shop.setPage(`/lang-${locale}`, embedPage(parley.url, { attributes: `data-site="${site.key}"` }));
        const page = await local.context.newPage();
        await page.goto(`${shop.origin}/lang-${locale}`);
        await widgetIn(page).launcher.click();
        const link = widgetIn(page).panel.getByRole("link", { name: word, exact: true });
        await link.waitFor();
        assert.equal(await link.getAttribute("href"), NOTICE);
        assert.deepEqual(await violations(page), [], locale);
      } finally {
        await local.close();
      }
    }

    const page = await openWidget(site, "/live-change");
    await privacyLinks(page).waitFor();
    const moved = "https://shop.example/privacy-2026";
    await updateSite(site.id, { widget: { privacy_url: moved } });
    await waitFor("the new address", async () => (await privacyLinks(page).getAttribute("href")) === moved);
    await updateSite(site.id, { widget: { privacy_url: null } });
    await waitFor("the link gone", async () => (await privacyLinks(page).count()) === 0);
    await page.close();
  },
);
