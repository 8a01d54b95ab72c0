/**
 * Sites (protocol §10) from the widget's side, in Chromium against a real server: a tag with
 * `data-site` gets its site's settings and talks to the server as that site; outside the site's
 * business hours the widget says the team is away and when it is back, in the visitor's language
 * and the team's time zone; an owner's change to the site reaches an open widget without a
 * reload. A tag whose key is no key starts nothing.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type {
  BusinessHours,
  Conversation,
  CreateSiteRequest,
  Site,
  SiteResponse,
  UpdateSiteRequest,
  WidgetConfig,
} from "@parley/protocol";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { png, widgetFileInput } from "./support/attachments.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const DAY = 86_400_000;
const TEAM_ZONE = "Europe/Berlin";

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

/** An owner's request over HTTP, as the inbox makes it. */
async function asOwner<T>(method: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${parley.url}${path}`, {
    method,
    headers: { "content-type": "application/json", origin: parley.url, cookie },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

async function siteOf(conversationId: number): Promise<number | undefined> {
  const response = await fetch(`${parley.url}/conversations/${conversationId}`, { headers: { cookie } });
  assert.equal(response.status, 200);
  return ((await response.json()) as { conversation: Conversation }).conversation.site_id;
}

async function createSite(request: Omit<CreateSiteRequest, "allowed_origins">): Promise<Site> {
  const body: CreateSiteRequest = { ...request, allowed_origins: [shop.origin] };
  return (await asOwner<SiteResponse>("POST", "/sites", body)).site;
}

async function updateSite(id: number, request: UpdateSiteRequest): Promise<Site> {
  return (await asOwner<SiteResponse>("PATCH", `/sites/${id}`, request)).site;
}

/** A page of the shop with the widget of `key`. */
function shopPage(path: string, key: string): string {
  shop.setPage(path, embedPage(parley.url, { attributes: `data-site="${key}"` }));
  return `${shop.origin}${path}`;
}

/** Hours that open only on the day after tomorrow (in the team's zone), 9:00 to 17:00: closed now. */
function openTheDayAfterTomorrow(): { hours: BusinessHours; day: Date } {
  const day = new Date(Date.now() + 2 * DAY);
  const weekday = new Intl.DateTimeFormat("en", { weekday: "short", timeZone: TEAM_ZONE })
    .format(day)
    .toLowerCase();
  return {
    hours: {
      time_zone: TEAM_ZONE,
      weekly: { [weekday]: [{ open: "09:00", close: "17:00" }] },
      closed_days: [],
    },
    day,
  };
}

test("a data-site that is no site key starts nothing and says why, once", { skip }, async () => {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  const asked: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("request", (request) => asked.push(new URL(request.url()).pathname));
  shop.setPage("/bad-key", embedPage(parley.url, { attributes: 'data-site="not a key!"' }));
  // The load event waits for the async script to have run.
  await page.goto(`${shop.origin}/bad-key`);
  assert.equal(errors.length, 1, errors.join("\n"));
  assert.match(errors[0] ?? "", /data-site is not a site key/);
  assert.equal(await page.locator("parley-widget").count(), 0);
  assert.ok(!asked.some((path) => path.startsWith("/widget/") || path === "/widget-app.js"), asked.join());
  await page.close();
});

test(
  "a widget with data-site gets its site's settings and talks to the server as that site",
  { skip },
  async () => {
    const docs = await createSite({
      name: "Docs",
      widget: { title: "Docs help", color: "#0f766e", launcher_label: "Ask the docs team" },
    });
    const page = await browser.context.newPage();
    const configs: string[] = [];
    page.on("request", (request) => {
      if (request.url().includes("/widget/config")) configs.push(new URL(request.url()).search);
    });
    const identifiers: unknown[] = [];
    page.on("websocket", (socket) =>
      socket.on("framesent", ({ payload }) => {
        const frame = JSON.parse(String(payload)) as { command?: string; identifier?: string };
        if (frame.command === "subscribe" && frame.identifier) identifiers.push(JSON.parse(frame.identifier));
      }),
    );
    await page.goto(shopPage("/docs", docs.key));
    const widget = widgetIn(page);
    await widget.launcher.waitFor();
    assert.deepEqual(configs, [`?site=${docs.key}`]);
    assert.equal((await widget.launcher.innerText()).trim(), "Ask the docs team");
    await widget.launcher.click();
    await widget.panel.waitFor();
    assert.equal(await widget.host.locator("h2").textContent(), "Docs help");
    const header = await widget.host.locator(".h").evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(header, "rgb(15, 118, 110)");

    await widget.send("Where is the API reference?");
    const arrived = await agent.next(
      "new_message",
      (e) => e.message.content === "Where is the API reference?",
    );
    assert.equal(await siteOf(arrived.conversation_id), docs.id, "the conversation belongs to the docs site");
    // A file goes to the site too (`POST /uploads?site=KEY`) and is sent in its conversation.
    const uploads = page.waitForResponse((response) => new URL(response.url()).pathname === "/uploads");
    await widgetFileInput(page).setInputFiles(png("diagram.png"));
    const upload = await uploads;
    assert.equal(new URL(upload.url()).search, `?site=${docs.key}`);
    assert.equal(upload.status(), 201);
    await agent.next("new_message", (e) => e.message.attachments?.[0]?.filename === "diagram.png");
    assert.deepEqual(identifiers.at(-1), {
      channel: "VisitorChannel",
      token: (identifiers.at(-1) as { token: string }).token,
      limit: 500,
      site: docs.key,
    });
    await page.close();
  },
);

test(
  "outside the site's hours the widget is away and says when the team is back, in French and the team's zone",
  { skip },
  async () => {
    const { hours, day } = openTheDayAfterTomorrow();
    const support = await createSite({
      name: "Support FR",
      widget: { away_message: "L'équipe est absente. Laissez-nous un message." },
      business_hours: hours,
    });
    const config = (await (
      await fetch(`${parley.url}/widget/config?site=${support.key}`, { headers: { origin: shop.origin } })
    ).json()) as WidgetConfig;
    assert.equal(config.agents_online, true, "the owner is online: only the hours make the team away");
    assert.equal(config.within_hours, false);

    const visitor = await launchChromium({ locale: "fr-FR", timezoneId: "America/New_York" });
    try {
      const page = await visitor.context.newPage();
      await page.goto(shopPage("/fr", support.key));
      const widget = widgetIn(page);
      await widget.launcher.click();
      await widget.panel.waitFor();
      const jour = new Intl.DateTimeFormat("fr", { weekday: "long", timeZone: TEAM_ZONE }).format(day);
      await widget.host
        .locator(".s", { hasText: "L'équipe est absente. Laissez-nous un message." })
        .waitFor();
      await waitFor("the back line", async () =>
        (await back(page)) === `De retour ${jour} à 9:00 (heure d’Europe centrale)` ? true : undefined,
      );
      assert.equal(await widget.host.locator(".h.on").count(), 0, "not shown online");

      // Visitors may still write while away: the message waits for the team.
      await widget.send("Bonjour, vous êtes là ?");
      const arrived = await agent.next("new_message", (e) => e.message.content === "Bonjour, vous êtes là ?");
      assert.equal(await siteOf(arrived.conversation_id), support.id);
    } finally {
      await visitor.close();
    }
  },
);

test(
  "an owner's change reaches an open widget without a reload: title, colour, then hours",
  { skip },
  async () => {
    const live = await createSite({ name: "Live", widget: { title: "Before", color: "#2455c3" } });
    const page = await browser.context.newPage();
    await page.goto(shopPage("/live", live.key));
    const widget = widgetIn(page);
    await widget.launcher.click();
    await widget.panel.waitFor();
    // The app connects on first open; it hears site_updated from then on. The same visitor (this
    // browser) wrote on the docs site of this origin: here they are another site's visitor.
    await widget.host.locator(".h.on").waitFor();
    await widget.send("Hello from the live page");
    const arrived = await agent.next("new_message", (e) => e.message.content === "Hello from the live page");
    assert.equal(await siteOf(arrived.conversation_id), live.id);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

    await updateSite(live.id, { widget: { title: "After", color: "#b91c1c", launcher_label: "Help" } });
    await widget.host.locator("h2", { hasText: "After" }).waitFor();
    const color = (selector: string) =>
      widget.host.locator(selector).evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(await color(".h"), "rgb(185, 28, 28)");
    assert.equal(await color("button.l"), "rgb(185, 28, 28)");
    assert.equal((await widget.launcher.innerText()).trim(), "Help");

    // Hours that close the site now: the open widget turns away and says when the team is back.
    const { hours } = openTheDayAfterTomorrow();
    await updateSite(live.id, { business_hours: { ...hours, time_zone: "UTC" } });
    await waitFor("the back line", async () => ((await back(page)).startsWith("Back ") ? true : undefined));
    assert.equal(await widget.host.locator(".h.on").count(), 0);
    assert.equal(
      await page.evaluate(() => (window as unknown as { marker?: number }).marker),
      42,
      "no reload",
    );
    await page.close();
  },
);

/** The header's "Back …" line, or "" when it is hidden. */
function back(page: Page): Promise<string> {
  return widgetIn(page)
    .host.locator(".bk")
    .evaluate((el) => ((el as HTMLElement).hidden ? "" : (el.textContent ?? "")));
}
