/**
 * Sites in the inbox (§10), against a real server: an owner adds a second site and shapes it in
 * the site editor (the preview follows every keystroke; origins the server refuses are shown
 * beside the field and stay as typed; hours, team, the snippet copied), and the list filters by
 * site, names each conversation's site and follows a rename made elsewhere, live.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { OwnerSettingsResponse, Site } from "@parley/protocol";
import { login } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { addAgent, buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { connectSiteVisitor, type SiteVisitor } from "./support/siteVisitor.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();
const CY = { username: "cy", password: "cy's password here", name: "Cy" };

let parley: Parley;
let ownerCookie: string;
let cyId: number;
const browsers: Browser[] = [];
const visitors: SiteVisitor[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  ownerCookie = await login(parley.url);
  cyId = (await addAgent(parley.url, ownerCookie, CY)).id;
});

after(async () => {
  for (const visitor of visitors) visitor.close();
  for (const browser of browsers) await browser.close();
  await parley?.close();
});

async function ownerPage(viewport?: { width: number; height: number }): Promise<Page> {
  const browser = await launchChromium(viewport === undefined ? {} : { viewport });
  browsers.push(browser);
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: parley.url });
  const page = await browser.context.newPage();
  await loginInInbox(page, parley.url, OWNER);
  return page;
}

async function sitesOverRest(): Promise<Site[]> {
  const response = await fetch(`${parley.url}/sites`, {
    headers: { cookie: ownerCookie, origin: parley.url },
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { sites: Site[] }).sites;
}

async function siteNamed(name: string): Promise<Site> {
  const site = (await sitesOverRest()).find((candidate) => candidate.name === name);
  assert.ok(site, `no site named ${name}`);
  return site;
}

test(
  "an owner adds a site, shapes its widget with the preview following, and sets origins, hours and team",
  { skip },
  async () => {
    const page = await ownerPage();
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    await page.locator(".site-row .tag", { hasText: "Default" }).waitFor();

    const add = page.getByRole("form", { name: "Add a site" });
    await add.getByLabel("Name").fill("Lamp shop");
    await add.getByRole("button", { name: "Add site" }).click();
    await page.getByRole("heading", { name: "Lamp shop", level: 2 }).waitFor();
    const created = await siteNamed("Lamp shop");
    assert.match(page.url(), new RegExp(`/admin/settings/sites/${created.id}$`));

    // The widget: the preview follows the fields before anything is saved.
    const widget = page.getByRole("form", { name: "Widget" });
    const preview = page.locator("[data-preview]");
    await widget.getByLabel("Title").fill("Lamp help");
    await preview.locator(".pv-title", { hasText: "Lamp help" }).waitFor();
    await widget.getByLabel("Colour", { exact: true }).fill("#16a34a");
    await waitFor(
      "the preview in the new colour",
      async () =>
        (await preview.locator(".pv-head").evaluate((head) => getComputedStyle(head).backgroundColor)) ===
        "rgb(22, 163, 74)",
    );
    await widget.getByLabel("Position").selectOption("left");
    await waitFor("the preview on the left", () => preview.evaluate((el) => el.classList.contains("left")));
    await widget.getByLabel("Launcher label").fill("Ask us");
    await preview.locator(".pv-launcher", { hasText: "Ask us" }).waitFor();
    await widget.getByLabel("Away message").fill("Back soon, leave a note.");
    await page.getByRole("button", { name: "Away", exact: true }).click();
    await preview.locator(".pv-status", { hasText: "Back soon, leave a note." }).waitFor();
    await widget.getByRole("button", { name: "Save widget" }).click();
    await widget.getByText("Saved.").waitFor();
    const shaped = await siteNamed("Lamp shop");
    assert.equal(shaped.widget.title, "Lamp help");
    assert.equal(shaped.widget.color.toLowerCase(), "#16a34a");
    assert.equal(shaped.widget.position, "left");
    assert.equal(shaped.widget.launcher_label, "Ask us");

    // Origins: the server's refusal is shown by the field, which keeps what was typed.
    const origins = page.getByRole("form", { name: "Allowed origins" });
    const originsField = origins.getByLabel("Origins, one a line");
    await originsField.fill("https://shop.example\nnot an origin");
    await origins.getByRole("button", { name: "Save origins" }).click();
    await origins.getByRole("alert").waitFor();
    assert.equal(await originsField.inputValue(), "https://shop.example\nnot an origin");
    assert.equal(await originsField.getAttribute("aria-invalid"), "true");
    await originsField.fill(`https://shop.example\n\n${parley.url}`);
    await origins.getByRole("button", { name: "Save origins" }).click();
    await origins.getByText("Saved.").waitFor();
    assert.deepEqual((await siteNamed("Lamp shop")).allowed_origins, ["https://shop.example", parley.url]);

    // Hours: a zone, Monday's closing time, a second interval on Tuesday, a closed day.
    const hours = page.getByRole("form", { name: "Business hours" });
    await hours.getByLabel("Set business hours").check();
    await hours.getByLabel("Time zone").selectOption("Europe/Berlin");
    await hours.getByLabel("Monday closes").fill("18:30");
    await hours.getByRole("button", { name: "Remove Wednesday" }).click();
    await hours.getByRole("button", { name: "Add hours on Tuesday" }).click();
    await hours.getByLabel("Tuesday closes (2)").fill("20:00");
    await hours.getByLabel("Date").fill("2026-12-25");
    await hours.getByRole("button", { name: "Add closed day" }).click();
    await hours.getByRole("button", { name: "Save hours" }).click();
    await hours.getByText("Saved.").waitFor();
    const withHours = (await siteNamed("Lamp shop")).business_hours;
    assert.ok(withHours);
    assert.equal(withHours.time_zone, "Europe/Berlin");
    assert.deepEqual(withHours.weekly.mon, [{ open: "09:00", close: "18:30" }]);
    assert.deepEqual(withHours.weekly.tue, [
      { open: "09:00", close: "17:00" },
      { open: "17:00", close: "20:00" },
    ]);
    assert.equal(withHours.weekly.wed?.length ?? 0, 0);
    assert.deepEqual(withHours.closed_days, ["2026-12-25"]);

    // Team: only Cy (owners answer every site anyway).
    const team = page.getByRole("form", { name: "Team" });
    await team.getByLabel("Only the agents chosen below").check();
    await team.getByLabel("Cy (cy)").check();
    await team.getByRole("button", { name: "Save team" }).click();
    await team.getByText("Saved.").waitFor();
    assert.deepEqual((await siteNamed("Lamp shop")).agent_ids, [cyId]);

    // The snippet, copied.
    await page.getByRole("button", { name: "Copy snippet" }).click();
    await page.getByText("Copied.", { exact: false }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, `<script src="${parley.url}/widget.js" data-site="${created.key}" async></script>`);

    // Everything survives a reload: it was saved, not just shown.
    await page.reload();
    await page.getByRole("form", { name: "Widget" }).getByLabel("Title").waitFor();
    assert.equal(
      await page.getByRole("form", { name: "Widget" }).getByLabel("Title").inputValue(),
      "Lamp help",
    );
  },
);

test(
  "the list filters by site, names each conversation's site, and follows a rename live",
  { skip },
  async () => {
    const shop = await siteNamed("Lamp shop");
    const main = (await sitesOverRest()).find((site) => site.is_default);
    assert.ok(main);
    const ana = await connectSiteVisitor(parley.url, { name: "Ana", origin: parley.url });
    const bo = await connectSiteVisitor(parley.url, { name: "Bo", origin: parley.url, site: shop.key });
    visitors.push(ana, bo);
    ana.send("Hello from the main site");
    bo.send("Is the brass lamp in stock?");

    const page = await ownerPage();
    const inbox = inboxIn(page);
    await inbox.row("Ana").waitFor();
    await inbox.row("Bo").waitFor();
    await inbox.row("Bo").locator(".row-site", { hasText: "Lamp shop" }).waitFor();
    await inbox.row("Ana").locator(".row-site", { hasText: main.name }).waitFor();

    const asked = page.waitForRequest(
      (request) => request.url().includes("/conversations?") && request.url().includes(`site_id=${shop.id}`),
    );
    await page.getByLabel("Site").selectOption({ label: "Lamp shop" });
    await asked;
    await inbox.row("Ana").waitFor({ state: "detached" });
    await inbox.row("Bo").waitFor();
    // A new conversation on another site stays out of the filtered list.
    const cara = await connectSiteVisitor(parley.url, { name: "Cara", origin: parley.url });
    visitors.push(cara);
    cara.send("Another one for the main site");
    await waitFor("Cara's conversation to exist", async () => {
      const response = await fetch(`${parley.url}/conversations?q=Cara`, {
        headers: { cookie: ownerCookie, origin: parley.url },
      });
      const { conversations } = (await response.json()) as { conversations: unknown[] };
      return conversations.length > 0;
    });
    assert.equal(await inbox.row("Cara").count(), 0);

    await inbox.open("Bo");
    await page.locator(".thread-head", { hasText: "Lamp shop" }).waitFor();

    // Renamed elsewhere (another owner, over REST): site_updated brings the new name here.
    const renamed = await fetch(`${parley.url}/sites/${shop.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", cookie: ownerCookie, origin: parley.url },
      body: JSON.stringify({ name: "Lamps & more" }),
    });
    assert.equal(renamed.status, 200);
    await page.locator(".thread-head", { hasText: "Lamps & more" }).waitFor();
    await inbox.row("Bo").locator(".row-site", { hasText: "Lamps & more" }).waitFor();
    await page
      .getByLabel("Site")
      .locator("option", { hasText: "Lamps & more" })
      .waitFor({ state: "attached" });

    await page.getByLabel("Site").selectOption({ label: "All sites" });
    await inbox.row("Cara").waitFor();
  },
);

test("the settings pages fit a 375 px phone", { skip }, async () => {
  const page = await ownerPage({ width: 375, height: 812 });
  const shop = (await sitesOverRest()).find((candidate) => !candidate.is_default);
  assert.ok(shop);
  await page.goto(`${parley.url}/admin/settings/sites/${shop.id}`);
  await page.getByRole("form", { name: "Business hours" }).waitFor();
  const editor = await sidewaysOverflow(page);
  assert.deepEqual(editor.wider, [], "the site editor");
  // An owner's navigation has one page more than an agent's (Settings); it still shows whole.
  assert.equal(
    await page.locator(".top nav").evaluate((nav) => nav.scrollWidth - nav.clientWidth),
    0,
    "the navigation shows whole",
  );
  await page.getByRole("link", { name: "General" }).click();
  await page.getByLabel("Visitor messages per minute").waitFor();
  assert.deepEqual((await sidewaysOverflow(page)).wider, [], "general settings");
  await page.getByRole("link", { name: "Sites", exact: true }).click();
  await page.getByRole("form", { name: "Add a site" }).waitFor();
  assert.deepEqual((await sidewaysOverflow(page)).wider, [], "the sites");
});

test(
  "what the environment fixes is shown read-only with its variable; the rest saves",
  { skip },
  async () => {
    const fixed = await startParley({ env: { WIDGET_TITLE: "Fixed by ops", MAX_UPLOAD_MB: "5" } });
    try {
      const browser = await launchChromium();
      browsers.push(browser);
      const page = await browser.context.newPage();
      await loginInInbox(page, fixed.url, OWNER);
      const cookie = await login(fixed.url);

      await page.goto(`${fixed.url}/admin/settings/general`);
      const upload = page.getByLabel("Largest upload (MB)");
      await upload.waitFor();
      assert.equal(await upload.inputValue(), "5");
      assert.equal(await upload.getAttribute("readonly"), "");
      await page.getByText("Set by the environment (MAX_UPLOAD_MB)").waitFor();
      await page.getByLabel("Visitor messages per minute").fill("12");
      await page.getByRole("button", { name: "Save settings" }).click();
      await page.getByText("Saved.").waitFor();
      const settings = (await (
        await fetch(`${fixed.url}/settings`, { headers: { cookie, origin: fixed.url } })
      ).json()) as OwnerSettingsResponse;
      assert.equal(settings.settings.rate_limit_per_minute, 12);
      assert.equal(settings.settings.max_upload_mb, 5);

      await page.getByRole("link", { name: "Sites", exact: true }).click();
      await page.locator(".site-row a").first().click();
      const widget = page.getByRole("form", { name: "Widget" });
      const title = widget.getByLabel("Title");
      await title.waitFor();
      assert.equal(await title.inputValue(), "Fixed by ops");
      assert.equal(await title.getAttribute("readonly"), "");
      await widget.getByText("Set by the environment (WIDGET_TITLE)").waitFor();
      // Saving the rest leaves the fixed field out, so the server does not refuse it (409).
      await widget.getByLabel("Greeting").fill("Hello from the default site");
      await widget.getByRole("button", { name: "Save widget" }).click();
      await widget.getByText("Saved.").waitFor();
    } finally {
      await fixed.close();
    }
  },
);

test(
  "an owner links the site's privacy notice and stops the rating question (§18); the server judges the URL",
  { skip },
  async () => {
    const page = await ownerPage();
    const created = await fetch(`${parley.url}/sites`, {
      method: "POST",
      headers: { cookie: ownerCookie, origin: parley.url, "content-type": "application/json" },
      body: JSON.stringify({ name: "Privacy shop" }),
    });
    assert.equal(created.status, 201);
    const site = await siteNamed("Privacy shop");
    await page.goto(`${parley.url}/admin/settings/sites/${site.id}`);
    const widget = page.getByRole("form", { name: "Widget" });
    const privacy = widget.getByLabel("Privacy notice URL");
    const rating = widget.getByLabel("Ask visitors to rate resolved conversations");
    await privacy.waitFor();
    assert.equal(await privacy.inputValue(), "");
    assert.equal(await rating.isChecked(), true, "asked by default");
    assert.match(
      (await privacy.getAttribute("aria-describedby")) ?? "",
      /\S/,
      "the hint is tied to the field",
    );

    // Not https: the browser keeps the form from being sent at all.
    await privacy.fill("http://shop.example/privacy");
    await widget.getByRole("button", { name: "Save widget" }).click();
    assert.equal(await privacy.evaluate((input: HTMLInputElement) => input.validity.valid), false);
    // https with a password: the browser lets it through, the server refuses it, in its words.
    await privacy.fill("https://me:secret@shop.example/privacy");
    await widget.getByRole("button", { name: "Save widget" }).click();
    await widget.getByText("privacy_url must not carry a user name or password").waitFor();
    assert.equal((await siteNamed("Privacy shop")).widget.privacy_url, null, "nothing stored");

    await privacy.fill("https://shop.example/privacy");
    await rating.uncheck();
    await widget.getByRole("button", { name: "Save widget" }).click();
    await widget.getByText("Saved.").waitFor();
    const saved = await siteNamed("Privacy shop");
    assert.equal(saved.widget.privacy_url, "https://shop.example/privacy");
    assert.equal(saved.widget.ask_rating, false);

    await page.reload();
    await privacy.waitFor();
    assert.equal(await privacy.inputValue(), "https://shop.example/privacy");
    assert.equal(await rating.isChecked(), false);
    // Emptied: no link.
    await privacy.fill("");
    await widget.getByRole("button", { name: "Save widget" }).click();
    await widget.getByText("Saved.").waitFor();
    assert.equal((await siteNamed("Privacy shop")).widget.privacy_url, null);
  },
);

test("agents answer sites but do not shape them: no Settings for them", { skip }, async () => {
  const browser = await launchChromium();
  browsers.push(browser);
  const page = await browser.context.newPage();
  await loginInInbox(page, parley.url, CY);
  await page.getByRole("link", { name: "Account" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Settings" }).count(), 0);
  await page.goto(`${parley.url}/admin/settings`);
  await page.getByText("Only an owner can change the sites and settings.").waitFor();
});
