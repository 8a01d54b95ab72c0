/**
 * The team's faces and the first run (§14) in the inbox, against a real server: a new owner sees
 * the checklist at 0 of 5 and does each step from it (name and a photo cropped by keyboard,
 * sound, a test message from the demo page, the widget on a site, a teammate), after which it
 * goes; the photo shows in the header and on the team page; the assign-on-reply switch saves
 * both ways; an agent gets their two steps, can hide them for good, and on a phone the checklist
 * and the crop dialog fit the screen. axe-core finds nothing on the checklist or the crop
 * dialog, light and dark, on a desktop and a phone.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { OwnerSettingsResponse } from "@parley/protocol";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { login } from "./support/agent.js";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, loginInInbox } from "./support/inbox.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const PHONE = { width: 390, height: 844 };
const SCHEMES = ["light", "dark"] as const;
const BEA = { username: "bea", password: "bea's long password", name: "Bea" };

let parley: Parley;
let site: ThirdPartySite;
const browsers: Browser[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  site = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [site.origin] });
  site.setPage("/", embedPage(parley.url));
});

after(async () => {
  for (const browser of browsers) await browser.close();
  await parley?.close();
  await site?.close();
});

async function newBrowser(options: Parameters<typeof launchChromium>[0] = {}): Promise<Browser> {
  const browser = await launchChromium(options);
  browsers.push(browser);
  return browser;
}

/** A 600×400 PNG: left half red, right half blue, so a crop's place shows in its colours. */
function testPhoto(): Promise<Buffer> {
  const half = (r: number, b: number) =>
    sharp({ create: { width: 300, height: 400, channels: 3, background: { r, g: 40, b } } })
      .png()
      .toBuffer();
  return half(220, 30).then(async (red) =>
    sharp({ create: { width: 600, height: 400, channels: 3, background: { r: 30, g: 40, b: 220 } } })
      .composite([{ input: red, left: 0, top: 0 }])
      .png()
      .toBuffer(),
  );
}

async function axeIn(page: Page, screen: string): Promise<string[]> {
  const problems: string[] = [];
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    for (const problem of await accessibilityProblems(page))
      problems.push(`${screen}, ${colorScheme}: ${problem}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  return problems;
}

async function fits(page: Page, where: string): Promise<void> {
  const layout = await sidewaysOverflow(page);
  assert.deepEqual(layout.wider, [], `${where}: past the right edge of a ${layout.viewportWidth} px screen`);
  assert.ok(layout.scrollWidth <= layout.viewportWidth, `${where}: ${layout.scrollWidth} px wide`);
}

const checklist = (page: Page) => page.getByRole("region", { name: "Get started" });
const progress = (page: Page) => checklist(page).locator(".checklist-progress");
const step = (page: Page, key: string) => checklist(page).locator(`[data-step="${key}"]`);

async function naturalWidth(page: Page, selector: string): Promise<number> {
  const image = page.locator(selector).first();
  await image.waitFor();
  await page.waitForFunction(
    (element) => element instanceof HTMLImageElement && element.complete,
    await image.elementHandle(),
  );
  return image.evaluate((element) => (element as HTMLImageElement).naturalWidth);
}

test(
  "a new owner does the first run from the checklist: 0 of 5 to done, and the checklist goes",
  { skip },
  async () => {
    const browser = await newBrowser();
    const page = await browser.context.newPage();
    await loginInInbox(page, parley.url, OWNER);
    await progress(page).filter({ hasText: "0 of 5" }).waitFor();
    // Each step is a list item whose state is read out.
    assert.equal(await checklist(page).getByRole("listitem").count(), 5);
    assert.match((await step(page, "profile").textContent()) ?? "", /^To do: Set your name and photo/);
    const problems = await axeIn(page, "the checklist");

    // Name and photo, from the checklist's link.
    await step(page, "profile").getByRole("link", { name: "Edit your profile" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Olga Owner");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByText("Saved.", { exact: false }).waitFor();

    // A file that is not a picture is refused before anything is sent.
    const input = page.locator('input[type="file"][name="photo"]');
    await input.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await page.getByRole("alert").filter({ hasText: "Choose a PNG, JPEG, WebP or GIF picture." }).waitFor();

    await input.setInputFiles({ name: "me.png", mimeType: "image/png", buffer: await testPhoto() });
    const dialog = page.getByRole("dialog", { name: "Crop your photo" });
    await dialog.waitFor();
    const area = dialog.getByRole("group", { name: "Crop area" });
    // The dialog opens on the crop area: the keyboard works at once.
    assert.equal(await area.evaluate((element) => element === document.activeElement), true);
    assert.equal(await area.getAttribute("data-crop"), "100,0,400", "the largest centred square");
    problems.push(...(await axeIn(page, "the crop dialog")));
    // Zoom in twice (+), then move the square to the left edge (Shift+←, a quarter of its side each).
    await page.keyboard.press("+");
    await page.keyboard.press("+");
    assert.equal(await area.getAttribute("data-crop"), "167,67,267", "zoomed to 150% about the centre");
    for (let i = 0; i < 4; i++) await page.keyboard.press("Shift+ArrowLeft");
    assert.equal(await area.getAttribute("data-crop"), "0,67,267", "moved to the left edge, no further");
    assert.equal(await dialog.getByLabel("Zoom").inputValue(), "1.5");
    await dialog.getByRole("button", { name: "Use this photo" }).click();
    await page.getByText("Photo saved.", { exact: false }).waitFor();
    await dialog.waitFor({ state: "detached" });
    assert.ok((await naturalWidth(page, ".top .me img.avatar")) > 0, "the header shows the photo");
    assert.ok((await naturalWidth(page, ".photo-form img.avatar")) > 0, "Account shows the photo");

    // The stored photo is the red left part that was kept, not the centre.
    const cookie = await login(parley.url);
    const me = (await (await fetch(`${parley.url}/auth/me`, { headers: { cookie } })).json()) as {
      agent: { avatar_url: string | null };
    };
    assert.ok(me.agent.avatar_url, "an avatar_url");
    const stored = await fetch(new URL(me.agent.avatar_url, parley.url));
    assert.equal(stored.status, 200);
    const { dominant } = await sharp(Buffer.from(await stored.arrayBuffer())).stats();
    assert.ok(dominant.r > 150 && dominant.b < 100, `the kept part is red: ${JSON.stringify(dominant)}`);

    await page.getByRole("link", { name: "Inbox" }).click();
    await progress(page).filter({ hasText: "1 of 5" }).waitFor();
    assert.match((await step(page, "profile").textContent()) ?? "", /^Done: /);

    // Notifications: the chime, from the checklist.
    await step(page, "notifications").getByRole("button", { name: "Turn on sound" }).click();
    await progress(page).filter({ hasText: "2 of 5" }).waitFor();

    // A test message from the demo page (a new tab), which the inbox hears of.
    const demoLink = step(page, "test_message").getByRole("link", { name: /Open the demo page/ });
    assert.equal(await demoLink.getAttribute("target"), "_blank");
    const [demo] = await Promise.all([browser.context.waitForEvent("page"), demoLink.click()]);
    const demoWidget = widgetIn(demo);
    await demoWidget.launcher.click();
    await demoWidget.send("Testing, testing");
    await page.locator("a.row", { hasText: "Testing, testing" }).waitFor();
    await page.bringToFront();
    await progress(page).filter({ hasText: "3 of 5" }).waitFor();

    // The widget on a site of one's own: the snippet is offered, then a page of the site is seen.
    await step(page, "widget").getByRole("button", { name: "Show the snippet" }).click();
    const snippet = step(page, "widget").getByRole("textbox", { name: "Snippet" });
    assert.match(await snippet.inputValue(), /widget\.js/);
    const shop = await browser.context.newPage();
    await shop.goto(`${site.origin}/`);
    await widgetIn(shop).launcher.click();
    await widgetIn(shop).input.waitFor();
    await page.bringToFront();
    await page.evaluate(() => window.dispatchEvent(new Event("focus")));
    await progress(page).filter({ hasText: "4 of 5" }).waitFor();

    // A teammate, from the checklist's link to the team page.
    await step(page, "teammate").getByRole("link", { name: "Invite someone" }).click();
    const form = page.getByRole("form", { name: "Add an agent" });
    await form.getByLabel("Username", { exact: true }).fill(BEA.username);
    await form.getByLabel("Name (optional)").fill(BEA.name);
    await form.getByLabel("Password", { exact: true }).fill(BEA.password);
    await form.getByRole("button", { name: "Add agent" }).click();
    await page.getByText("Bea can now log in as bea.").waitFor();
    // The team page shows faces: the owner's photo, Bea's initials.
    assert.ok((await naturalWidth(page, `li.agent:has-text("Olga Owner") img.avatar`)) > 0, "team photo");
    assert.equal(await page.locator('li.agent[data-username="bea"] .avatar.initials').textContent(), "B");

    await page.getByRole("link", { name: "Inbox" }).click();
    await page.locator("a.row", { hasText: "Testing, testing" }).waitFor();
    assert.equal(await checklist(page).count(), 0, "all done: the checklist is gone");

    // The reply shows the agent's face beside it.
    await page.locator("a.row", { hasText: "Testing, testing" }).click();
    await page.getByRole("textbox", { name: "Reply" }).fill("Hello from Olga");
    await page.getByRole("textbox", { name: "Reply" }).press("Enter");
    const reply = page.locator(".msg[data-message-id]", { hasText: "Hello from Olga" });
    await reply.waitFor();
    assert.ok(
      (await naturalWidth(page, `.msg[data-message-id]:has-text("Hello from Olga") .who img.avatar`)) > 0,
    );

    assert.deepEqual(problems, [], problems.join("\n"));
  },
);

test("the assign-on-reply switch saves off and on", { skip }, async () => {
  const browser = await newBrowser();
  const page = await browser.context.newPage();
  await loginInInbox(page, parley.url, OWNER);
  const cookie = await login(parley.url);
  const stored = async (): Promise<boolean> =>
    ((await (await fetch(`${parley.url}/settings`, { headers: { cookie } })).json()) as OwnerSettingsResponse)
      .settings.assign_on_reply;
  assert.equal(await stored(), true, "on by default");

  await page.goto(`${parley.url}/admin/settings/general`);
  const toggle = page.getByRole("checkbox", { name: "Assign a conversation to the agent who replies" });
  await toggle.waitFor();
  assert.equal(await toggle.isChecked(), true);
  await toggle.uncheck();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Saved.").waitFor();
  assert.equal(await stored(), false);
  await page.reload();
  await toggle.waitFor();
  assert.equal(await toggle.isChecked(), false, "saved off");
  await toggle.check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Saved.").waitFor();
  assert.equal(await stored(), true);
});

test(
  "an agent on a phone: two steps, the checklist and the crop dialog fit and pass axe; hiding lasts",
  { skip },
  async () => {
    const browser = await newBrowser({ viewport: PHONE, phone: true });
    const page = await browser.context.newPage();
    await loginInInbox(page, parley.url, BEA);
    await progress(page).filter({ hasText: "0 of 2" }).waitFor();
    assert.deepEqual(
      await checklist(page)
        .locator("[data-step]")
        .evaluateAll((items) => items.map((item) => item.getAttribute("data-step"))),
      ["profile", "notifications"],
      "an agent's own steps only",
    );
    await fits(page, "the checklist");
    const problems = await axeIn(page, "the checklist on a phone");

    await page.getByRole("link", { name: "Edit your profile" }).click();
    await page
      .locator('input[type="file"][name="photo"]')
      .setInputFiles({ name: "me.png", mimeType: "image/png", buffer: await testPhoto() });
    const dialog = page.getByRole("dialog", { name: "Crop your photo" });
    await dialog.waitFor();
    await fits(page, "the crop dialog");
    problems.push(...(await axeIn(page, "the crop dialog on a phone")));
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.deepEqual(problems, [], problems.join("\n"));

    // Hidden for good, for this agent in this browser.
    await page.getByRole("link", { name: "Inbox" }).click();
    await checklist(page).getByRole("button", { name: "Hide the checklist" }).click();
    await checklist(page).waitFor({ state: "detached" });
    await page.reload();
    await page.getByRole("heading", { name: "Inbox" }).waitFor({ state: "attached" });
    await page.locator(".conversations").waitFor();
    assert.equal(await checklist(page).count(), 0, "still hidden after a reload");
  },
);
