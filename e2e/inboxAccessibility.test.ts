/**
 * The inbox for everyone: axe-core finds nothing of moderate impact or worse on any screen
 * (login, the list empty and full, the notification banner, a conversation, its actions and
 * delete dialog, team, account, the settings: sites, a site's editor, general), in light and
 * dark, on a desktop and on a phone.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Page } from "playwright-core";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";

const skip = skipWithoutChromium();
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
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

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  test(
    `axe finds no problem on any inbox screen, light and dark, ${size} (${viewport.width}×${viewport.height})`,
    { skip },
    async () => {
      const { parley, page, visitor } = await setUp(viewport);
      const inbox = inboxIn(page);
      const problems: string[] = [];
      const check = async (screen: string): Promise<void> => {
        for (const colorScheme of SCHEMES) {
          await page.emulateMedia({ colorScheme });
          for (const problem of await accessibilityProblems(page))
            problems.push(`${screen}, ${colorScheme}: ${problem}`);
        }
        await page.emulateMedia({ colorScheme: "light" });
      };

      await page.goto(`${parley.url}/admin/login`);
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      await check("login");

      await loginInInbox(page, parley.url, OWNER);
      await page.getByText("No conversations here.").waitFor();
      const banner = page.getByRole("region", { name: "Get notified" });
      await banner.getByRole("button", { name: "Turn on sound" }).waitFor();
      await check("empty list with the notification banner");
      await banner.getByRole("button", { name: "Dismiss" }).click();
      await banner.waitFor({ state: "detached" });

      const vera = await visitor("Vera Lindqvist");
      vera.send("Hi! I ordered a lamp last week and it hasn't arrived yet.");
      (await visitor("Tom")).send("Do you ship to Norway?");
      await inbox.row("Tom").waitFor();
      await inbox.row("Vera Lindqvist").waitFor();
      await check("list");

      await inbox.open("Vera Lindqvist");
      await inbox.reply("Hi Vera, sorry about that! Could you tell me your order number?");
      await page.locator(".thread .msg.mine[data-message-id]").waitFor();
      vera.typing(true);
      await page.getByText("The visitor is typing…").waitFor();
      // A draft, so that Send is enabled (a disabled button is exempt from contrast).
      await inbox.composer.fill("Let me look that up.");
      await check("conversation");

      const menu = page.getByRole("button", { name: "Conversation actions" });
      if (await menu.isVisible()) {
        await menu.click();
        await check("conversation actions menu");
      }
      await page.getByRole("button", { name: "Delete" }).click();
      await page.getByRole("dialog").waitFor();
      await check("delete dialog");
      await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

      await page.getByRole("link", { name: "Team" }).click();
      await page.getByRole("heading", { name: "Team", level: 1 }).waitFor();
      await check("team");
      await page.getByRole("link", { name: "Account" }).click();
      await page.locator("[data-push-note]:not([data-push-state='checking'])").waitFor();
      await check("account");

      await page.getByRole("link", { name: "Settings" }).click();
      await page.locator(".site-row").first().waitFor();
      await check("settings: sites");
      await page.locator(".site-row a").first().click();
      await page.locator("[data-preview]").waitFor();
      // Every part of the hours editor shown: the zone, the week, the closed days.
      await page.getByLabel("Set business hours").check();
      await page.getByLabel("Monday closes").waitFor();
      await check("settings: site editor");
      await page.getByRole("link", { name: "General" }).click();
      await page.getByLabel("Visitor messages per minute").waitFor();
      await check("settings: general");

      assert.deepEqual(problems, []);
    },
  );
}
