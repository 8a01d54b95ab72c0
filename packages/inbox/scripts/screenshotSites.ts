/**
 * Takes docs/inbox-sites.png, a site's editor as the README shows it: a real server with a
 * second site, its widget part beside the live preview. Run:
 * `npx tsx --conditions=source packages/inbox/scripts/screenshotSites.ts [out.png] [light|dark]`
 * (needs Chromium).
 */
import { fileURLToPath } from "node:url";
import type { SiteResponse } from "@parley/protocol";
import { login } from "../../../e2e/support/agent.js";
import { launchChromium } from "../../../e2e/support/chromium.js";
import { buildInbox, loginInInbox } from "../../../e2e/support/inbox.js";
import { OWNER, startParley } from "../../../e2e/support/parley.js";

const [outArg, schemeArg] = process.argv.slice(2);
const output = outArg ?? fileURLToPath(new URL("../../../docs/inbox-sites.png", import.meta.url));

buildInbox();
const parley = await startParley();
const browser = await launchChromium({ viewport: { width: 1280, height: 900 } });
try {
  const cookie = await login(parley.url);
  const response = await fetch(`${parley.url}/sites`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, origin: parley.url },
    body: JSON.stringify({
      name: "Lamp shop",
      allowed_origins: ["https://lamps.example"],
      widget: {
        title: "Lamp help",
        greeting: "Hi! Looking for the right light? Ask us anything.",
        color: "#0f766e",
        launcher_label: "Ask us",
        away_message: "We're back at 9:00. Leave a note and we'll reply here.",
      },
    }),
  });
  if (response.status !== 201)
    throw new Error(`creating the site: ${response.status} ${await response.text()}`);
  const { site } = (await response.json()) as SiteResponse;

  const page = await browser.context.newPage();
  if (schemeArg === "dark") await page.emulateMedia({ colorScheme: "dark" });
  await loginInInbox(page, parley.url, OWNER);
  await page.getByRole("region", { name: "Get notified" }).getByRole("button", { name: "Dismiss" }).click();
  await page.goto(`${parley.url}/admin/settings/sites/${site.id}`);
  const widget = page.getByRole("form", { name: "Widget" });
  await widget.locator("[data-preview]").waitFor();
  await widget.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await parley.close();
}
