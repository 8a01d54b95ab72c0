/**
 * Takes docs/inbox-contact.png, the side panel beside a conversation as the README shows it: a
 * real server, a visitor verified by the site (name, email, attributes) who came from a campaign
 * and opened a few pages. Run:
 * `npx tsx --conditions=source packages/inbox/scripts/screenshotContact.ts [out.png] [light|dark]`
 * (needs Chromium).
 */
import { createHmac } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Conversation, Site } from "@parley/protocol";
import { login } from "../../../e2e/support/agent.js";
import { launchChromium } from "../../../e2e/support/chromium.js";
import { connectContextVisitor, identify } from "../../../e2e/support/contextVisitor.js";
import { buildInbox, inboxIn, loginInInbox } from "../../../e2e/support/inbox.js";
import { OWNER, startParley } from "../../../e2e/support/parley.js";
import { waitFor } from "../../../e2e/support/wait.js";

const [outArg, schemeArg] = process.argv.slice(2);
const output = outArg ?? fileURLToPath(new URL("../../../docs/inbox-contact.png", import.meta.url));

buildInbox();
const parley = await startParley();
// Tall enough that the panel shows whole, without scrolling.
const browser = await launchChromium({
  viewport: { width: 1280, height: 2200 },
  timezoneId: "Europe/London",
});
const visitor = await connectContextVisitor(parley.url, {
  name: "Mia Chen",
  userAgent:
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
  language: "en-GB,en;q=0.9",
});
try {
  const cookie = await login(parley.url);
  const headers = { cookie, origin: parley.url };
  const { sites } = (await (await fetch(`${parley.url}/sites`, { headers })).json()) as { sites: Site[] };
  const site = sites.find((candidate) => candidate.is_default);
  if (!site) throw new Error("no default site");
  const { secret } = (await (await fetch(`${parley.url}/sites/${site.id}/identity`, { headers })).json()) as {
    secret: string;
  };
  visitor.page(
    "https://lamps.example/lamps?utm_source=newsletter&utm_medium=email&utm_campaign=autumn",
    "Brass desk lamps",
    { referrer: "https://mail.example/", time_zone: "Asia/Singapore" },
  );
  const answer = await identify(parley.url, {
    token: visitor.token,
    id: "cust_4821",
    hash: createHmac("sha256", secret).update("cust_4821").digest("hex"),
    name: "Mia Chen",
    email: "mia@example.com",
    attributes: { plan: "Studio", seats: 12, customer_since: { date: "2024-05-02" } },
  });
  if (answer.status !== 200) throw new Error(`identify: ${answer.status}`);
  visitor.send("Hi! Does the brass lamp take an E27 bulb?");
  visitor.page("https://lamps.example/lamps/brass-arc", "Brass arc lamp", { time_zone: "Asia/Singapore" });
  visitor.page("https://lamps.example/shipping", "Shipping and returns", { time_zone: "Asia/Singapore" });
  await waitFor("the conversation", async () => {
    const response = await fetch(`${parley.url}/conversations`, { headers });
    const { conversations } = (await response.json()) as { conversations: Conversation[] };
    return conversations.length > 0;
  });

  const page = await browser.context.newPage();
  if (schemeArg === "dark") await page.emulateMedia({ colorScheme: "dark" });
  await loginInInbox(page, parley.url, OWNER);
  await page.getByRole("region", { name: "Get notified" }).getByRole("button", { name: "Dismiss" }).click();
  await inboxIn(page).open("Mia Chen");
  const details = page.getByRole("complementary", { name: "Visitor details" });
  await details.locator("[data-current-page]").getByText("Shipping and returns").waitFor();
  await details.locator(".contact-card .tag.verified").waitFor();
  // The panel is as tall as the window; the picture ends where its content does.
  const box = await details.boundingBox();
  const bottom = await details.evaluate(
    (panel) => Math.max(...[...panel.children].map((child) => child.getBoundingClientRect().bottom)) + 16,
  );
  if (box === null) throw new Error("no panel on screen");
  await page.screenshot({
    path: output,
    clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, bottom - box.y) },
  });
  console.log(`wrote ${output}`);
} finally {
  visitor.close();
  await browser.close();
  await parley.close();
}
