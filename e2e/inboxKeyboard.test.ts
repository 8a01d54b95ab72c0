/**
 * The list by keyboard and screen reader: Tab reaches the rows with a focus ring drawn whole
 * (not clipped by the scrolling list to two thin lines) and visible in light and dark, and a
 * row is named briefly instead of by everything it shows.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Page } from "playwright-core";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { focusRing } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";

const skip = skipWithoutChromium();
const DESKTOP = { width: 1280, height: 800 };
const SCHEMES = ["light", "dark"] as const;

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function setUp(viewport: {
  width: number;
  height: number;
}): Promise<{ parley: Parley; page: Page; visitor: (name: string) => Promise<StockVisitor> }> {
  buildInbox();
  const parley = await startParley();
  cleanups.push(() => parley.close());
  const browser: Browser = await launchChromium({ viewport });
  cleanups.push(() => browser.close());
  const visitor = async (name: string): Promise<StockVisitor> => {
    const connected = await connectVisitor(parley.url, name);
    cleanups.push(() => connected.close());
    return connected;
  };
  return { parley, page: await browser.context.newPage(), visitor };
}

test(
  "Tab reaches the list rows, whose focus ring is whole and visible, in light and dark",
  { skip },
  async () => {
    const { parley, page, visitor } = await setUp(DESKTOP);
    (await visitor("Vera Lindqvist")).send(
      "Hi! I ordered a lamp last week and it hasn't arrived yet, and the tracking page says nothing at all.",
    );
    await loginInInbox(page, parley.url, OWNER);
    const row = inboxIn(page).row("Vera Lindqvist");
    await row.waitFor();

    for (const colorScheme of SCHEMES) {
      await page.emulateMedia({ colorScheme });
      await page.locator("body").evaluate((body) => {
        // Start from the top of the page, as after loading it.
        (document.activeElement as HTMLElement | null)?.blur();
        body.focus();
      });
      let presses = 0;
      while (!(await row.evaluate((element) => element === document.activeElement))) {
        assert.ok(++presses <= 30, "Tab never reached the row");
        await page.keyboard.press("Tab");
      }
      const ring = await focusRing(row);
      assert.ok(ring.visible, `${colorScheme}: a focus ring is drawn (${ring.drawn})`);
      assert.ok(ring.unclipped, `${colorScheme}: the list does not clip the ring (${ring.drawn})`);
      assert.ok(
        ring.contrast >= 3,
        `${colorScheme}: the ring contrasts 3:1 with the row, has ${ring.contrast.toFixed(2)} (${ring.drawn})`,
      );
    }
  },
);

test("a list row is named by visitor, unread count, time and a short preview", { skip }, async () => {
  const { parley, page, visitor } = await setUp(DESKTOP);
  const long = `Hello, ${"my parcel has not come ".repeat(12)}`;
  (await visitor("Vera Lindqvist")).send(long);
  await loginInInbox(page, parley.url, OWNER);
  const row = inboxIn(page).row("Vera Lindqvist");
  await row.locator(".badge").waitFor();
  const snapshot = await row.ariaSnapshot();
  const name = /^- link "([^"]*)"/.exec(snapshot)?.[1];
  assert.ok(name !== undefined, snapshot);
  assert.match(name, /^Vera Lindqvist, 1 unread, now, Hello, my parcel has not come/);
  assert.ok(name.length <= 110, `a short name, not the whole message: ${name}`);
  assert.doesNotMatch(name, /Unassigned/, "who handles it is the description, not the name");
  const description = await row.evaluate((link) =>
    (link.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" "),
  );
  assert.match(description, /Unassigned/);
});
