/**
 * The visitor's context (§12) from the widget's side, in Chromium against a real server: on a
 * host site of several pages, every page the widget runs on is reported when it subscribes, and
 * an agent sees the visitor move from page to page live (`visitor_page`), with the query string
 * dropped but its UTM tags kept, the referrer the visitor came with and the browser's time zone.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { contextOf, createSite } from "./support/contacts.js";
import { buildInbox, loginInInbox } from "./support/inbox.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const ZONE = "Asia/Tokyo";
const SEARCH = "https://search.example/results";

let parley: Parley;
let shop: ThirdPartySite;
let browser: Browser;
let agent: Agent;
let cookie: string;

before(async () => {
  if (skip) return;
  buildInbox();
  shop = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [shop.origin] });
  cookie = await login(parley.url);
  agent = await connectAgent(parley.url);
  browser = await launchChromium({ timezoneId: ZONE });
});

after(async () => {
  agent?.close();
  await browser?.close();
  await parley?.close();
  await shop?.close();
});

test(
  "an agent sees the visitor go from page to page live, without the query string, with UTM tags, referrer and time zone",
  { skip },
  async () => {
    const site = await createSite(parley.url, cookie, { name: "Shop", allowed_origins: [shop.origin] });
    const tag = { attributes: `data-site="${site.key}"` };
    shop.setPage(
      "/products",
      embedPage(parley.url, {
        ...tag,
        head: `<script>document.title = "Products";</script>`,
        body: `<h1>Products</h1><a id="next" href="/pricing?utm_source=x&secret=y#plans">Pricing</a>`,
      }),
    );
    shop.setPage(
      "/pricing",
      embedPage(parley.url, { ...tag, head: `<script>document.title = "Pricing";</script>` }),
    );

    const page = await browser.context.newPage();
    // The visitor arrives from a search engine.
    await page.goto(`${shop.origin}/products`, { referer: SEARCH });
    const widget = widgetIn(page);
    await widget.launcher.click();
    await widget.send("Which plan fits a team of five?");
    const { conversation_id: id } = await agent.next(
      "new_message",
      (event) => event.message.content === "Which plan fits a team of five?",
    );

    const from = agent.events.length;
    await page.locator("#next").click();
    await page.waitForURL(/\/pricing/);
    const moved = await agent.next("visitor_page", (event) => event.conversation_id === id, { from });
    assert.equal(moved.page.url, `${shop.origin}/pricing`, "no query string, no fragment");
    assert.equal(moved.page.title, "Pricing");

    const { context } = await contextOf(parley.url, cookie, id);
    assert.equal(context.current_page?.url, `${shop.origin}/pricing`);
    assert.equal(context.first_page?.url, `${shop.origin}/products`);
    assert.deepEqual(
      context.pages.map((view) => view.url),
      [`${shop.origin}/products`, `${shop.origin}/pricing`],
    );
    assert.equal(context.utm.utm_source, "x");
    assert.ok(context.referrer?.startsWith("https://search.example/"), String(context.referrer));
    assert.equal(context.time_zone, ZONE);
    assert.ok(!JSON.stringify(context).includes("secret"), "the query string's other parameters are dropped");
    await page.close();
  },
);

test(
  "the inbox's side panel follows a real widget from page to page on the host site",
  { skip },
  async () => {
    const site = await createSite(parley.url, cookie, { name: "Books", allowed_origins: [shop.origin] });
    const tag = { attributes: `data-site="${site.key}"` };
    shop.setPage(
      "/novels",
      embedPage(parley.url, {
        ...tag,
        head: `<script>document.title = "Novels";</script>`,
        body: `<h1>Novels</h1><a id="next" href="/poetry?ref=mail">Poetry</a>`,
      }),
    );
    shop.setPage(
      "/poetry",
      embedPage(parley.url, { ...tag, head: `<script>document.title = "Poetry";</script>` }),
    );

    const visitorPage = await browser.context.newPage();
    await visitorPage.goto(`${shop.origin}/novels`);
    const widget = widgetIn(visitorPage);
    await widget.launcher.click();
    await widget.send("Do you have Basho in translation?");

    // The agent's inbox, in its own browser context (its own cookie), on the conversation.
    const agentBrowser = await launchChromium();
    try {
      const inboxPage = await agentBrowser.context.newPage();
      await loginInInbox(inboxPage, parley.url, OWNER);
      // The visitor left no name: their row is found by their message.
      await inboxPage.locator("a.row", { hasText: "Do you have Basho in translation?" }).click();
      const current = inboxPage
        .getByRole("complementary", { name: "Visitor details" })
        .locator("[data-current-page]");
      await current.getByRole("link", { name: "Novels" }).waitFor();

      // The visitor follows a link on the host site: the panel moves with them, no reload.
      await visitorPage.locator("#next").click();
      await visitorPage.waitForURL(/\/poetry/);
      await current.getByRole("link", { name: "Poetry" }).waitFor();
      const link = current.getByRole("link", { name: "Poetry" });
      assert.equal(await link.getAttribute("href"), `${shop.origin}/poetry`, "the query string is dropped");
    } finally {
      await agentBrowser.close();
      await visitorPage.close();
    }
  },
);
