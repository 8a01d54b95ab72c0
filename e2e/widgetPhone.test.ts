/**
 * The widget on a phone, where the panel fills the screen: it is a modal dialog (aria-modal,
 * Tab stays in it, the page behind does not scroll, and all of it is undone on close); it fits
 * the part of the screen the on-screen keyboard leaves; and opening it does not raise the
 * keyboard by focusing the text box.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const PHONE = { width: 390, height: 844 };
/** A long page with links before and after the widget's script: places for Tab to escape to. */
const LONG_PAGE = `<a href="#top">Top</a><h1>A shop</h1>${"<p>Products and more products.</p>".repeat(150)}<a href="#end">End</a>`;

let parley: Parley;
let site: ThirdPartySite;
let browser: Browser;

before(async () => {
  if (skip) return;
  site = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [site.origin] });
  site.setPage("/", embedPage(parley.url, { body: LONG_PAGE }));
  browser = await launchChromium({ viewport: PHONE, phone: true });
});

after(async () => {
  await browser?.close();
  await parley?.close();
  await site?.close();
});

/** Where focus is: "panel:<tag>" inside the open panel, else what has it on the page. */
function focusIsIn(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.querySelector("parley-widget");
    const inner = host?.shadowRoot?.activeElement;
    const panel = host?.shadowRoot?.querySelector("[role=dialog]");
    if (document.activeElement === host && inner && panel?.contains(inner)) return `panel:${inner.tagName}`;
    return `page:${(inner ?? document.activeElement)?.tagName ?? "none"}`;
  });
}

const scrollY = (page: Page): Promise<number> => page.evaluate(() => window.scrollY);

/** Wheel events scroll asynchronously: two frames let them land. */
const frames = (page: Page): Promise<void> =>
  page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );

async function wheel(page: Page, x: number, y: number, deltaY: number): Promise<void> {
  await page.mouse.move(x, y);
  await page.mouse.wheel(0, deltaY);
  await frames(page);
}

test(
  "the full-screen panel is modal: Tab stays in it, the page behind neither scrolls nor hears",
  { skip },
  async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/`);
    const widget = widgetIn(page);
    await widget.launcher.waitFor();
    // The page scrolls as usual before the chat opens.
    await wheel(page, 200, 300, 500);
    await waitFor("the page scrolled", async () => (await scrollY(page)) > 0);
    const where = await scrollY(page);

    await widget.launcher.tap();
    await widget.panel.waitFor();
    await waitFor("a full-screen panel", async () => {
      const box = await widget.panel.boundingBox();
      return box && [box.x, box.y, box.width, box.height].map(Math.round).join() === "0,0,390,844";
    });
    assert.equal(await widget.panel.getAttribute("aria-modal"), "true");
    assert.match(await focusIsIn(page), /^panel:/, "focus moved into the dialog");

    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Tab");
      assert.match(await focusIsIn(page), /^panel:/, `Tab ${i + 1}`);
    }
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press("Shift+Tab");
      assert.match(await focusIsIn(page), /^panel:/, `Shift+Tab ${i + 1}`);
    }

    // Scrolling over the header, or past the end of the (short) conversation, moves nothing behind.
    await wheel(page, 200, 40, 600);
    await wheel(page, 200, 420, 600);
    await wheel(page, 200, 420, -900);
    assert.equal(await scrollY(page), where, "the page behind did not scroll");

    await widget.host.locator("button.x").tap();
    await widget.panel.waitFor({ state: "hidden" });
    assert.equal(await scrollY(page), where, "the page is where the visitor left it");
    assert.equal(await focusIsIn(page), "page:BUTTON", "focus is back on the launcher");
    await wheel(page, 200, 300, 300);
    await waitFor("the page scrolls again", async () => (await scrollY(page)) > where);
    await page.close();
  },
);

test("on a touch screen opening the chat does not raise the keyboard", { skip }, async () => {
  const page = await browser.context.newPage();
  await page.goto(`${site.origin}/`);
  const widget = widgetIn(page);
  await widget.launcher.tap();
  await widget.panel.waitFor();
  assert.equal(await focusIsIn(page), "panel:DIV", "the dialog has focus, not the text box");
  await widget.input.tap();
  assert.equal(await focusIsIn(page), "panel:TEXTAREA", "the visitor asks for the keyboard");
  await page.close();
});

test(
  "the panel fits the visible part of the screen when it shrinks, as under the keyboard",
  { skip },
  async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.origin}/`);
    const widget = widgetIn(page);
    await widget.launcher.tap();
    await widget.panel.waitFor();
    await widget.input.tap();
    // Headless Chromium has no on-screen keyboard. What the keyboard does to a page on iOS and on
    // Android's Chrome, shrinking the visual viewport while the layout viewport stays, Chromium
    // does for a pinch zoom: same `visualViewport` numbers, same resize events.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send("Emulation.setPageScaleFactor", { pageScaleFactor: 2 });
    const fits = (): Promise<boolean> =>
      widget.panel.evaluate((panel) => {
        const viewport = window.visualViewport;
        if (!viewport || viewport.height === window.innerHeight) return false;
        const box = panel.getBoundingClientRect();
        const offsets = [
          box.top - viewport.offsetTop,
          box.left - viewport.offsetLeft,
          box.height - viewport.height,
          box.width - viewport.width,
        ];
        return offsets.every((offset) => Math.abs(offset) <= 1);
      });
    await waitFor("the panel fitted to the visible viewport", fits);
    await cdp.send("Emulation.setPageScaleFactor", { pageScaleFactor: 1 });
    await waitFor("the whole screen again", async () => {
      const box = await widget.panel.evaluate((panel) => panel.getBoundingClientRect().toJSON() as DOMRect);
      return Math.round(box.height) === PHONE.height && Math.round(box.width) === PHONE.width;
    });
    await widget.host.locator("button.x").tap();
    await widget.panel.waitFor({ state: "hidden" });
    await page.close();
  },
);
