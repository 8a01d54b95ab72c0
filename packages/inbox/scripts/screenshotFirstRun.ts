/**
 * Takes the README's pictures of the first run and of a phone's widget: docs/inbox-checklist.png
 * (the inbox on a desktop with the first-run checklist, two of five steps done: a name and photo,
 * a test message) and docs/widget-phone.png (the demo page's widget open on a 390×844 phone,
 * an agent's reply). A real server, made-up faces. Run:
 * `npx tsx --conditions=source packages/inbox/scripts/screenshotFirstRun.ts [docs dir] [light|dark]`
 * (needs Chromium). The inbox's phone pictures are screenshot.ts's (its comment says how).
 */
import { fileURLToPath } from "node:url";
import { connectAgent, login } from "../../../e2e/support/agent.js";
import { launchChromium } from "../../../e2e/support/chromium.js";
import { buildInbox, loginInInbox } from "../../../e2e/support/inbox.js";
import { connectVisitor } from "../../../e2e/support/inboxVisitor.js";
import { OWNER, startParley } from "../../../e2e/support/parley.js";
import { widgetIn } from "../../../e2e/support/widgetPage.js";
import { demoFace, uploadFace } from "./demoFaces.js";

const [dirArg, schemeArg] = process.argv.slice(2);
const dir = dirArg ?? fileURLToPath(new URL("../../../docs/", import.meta.url));
const out = (name: string): string => `${dir.replace(/\/?$/, "/")}${name}`;
const colorScheme = schemeArg === "dark" ? "dark" : "light";

buildInbox();
const parley = await startParley();
const desktop = await launchChromium({ viewport: { width: 1280, height: 720 } });
const phone = await launchChromium({ viewport: { width: 390, height: 844 }, phone: true });
try {
  const cookie = await login(parley.url);
  await fetch(`${parley.url}/agents/me`, {
    method: "PATCH",
    headers: { "content-type": "application/json", cookie, origin: parley.url },
    body: JSON.stringify({ name: "Ada Lindgren" }),
  });
  await uploadFace(parley.url, cookie, await demoFace("#cfe3f7", "#f1c7a6", "#5b3a29"));
  const visitor = await connectVisitor(parley.url, "Test visitor");
  visitor.send("Hello from the demo page!");

  const page = await desktop.context.newPage();
  await page.emulateMedia({ colorScheme });
  await loginInInbox(page, parley.url, OWNER);
  // The banner offers what the checklist's second step offers too; the picture is the checklist.
  await page.getByRole("region", { name: "Get notified" }).getByRole("button", { name: "Dismiss" }).click();
  const checklist = page.getByRole("region", { name: "Get started" });
  await checklist.locator(".checklist-progress", { hasText: "2 of 5" }).waitFor();
  await page.locator("a.row", { hasText: "Hello from the demo page!" }).waitFor();
  await page.screenshot({ path: out("inbox-checklist.png") });
  console.log(`wrote ${out("inbox-checklist.png")}`);

  // The widget on a phone: the visitor writes, Ada answers, her face beside the reply.
  const agent = await connectAgent(parley.url);
  const shop = await phone.context.newPage();
  await shop.emulateMedia({ colorScheme });
  await shop.goto(`${parley.url}/`);
  const widget = widgetIn(shop);
  await widget.launcher.click();
  await widget.send("Hi! Do you ship to Norway?");
  const { conversation_id } = await agent.next("new_message", (e) =>
    e.message.content.startsWith("Hi! Do you"),
  );
  agent.perform({
    action: "send_message",
    conversation_id,
    content: "Hi! Yes, in 2–3 days, and shipping is free over 50 €.",
  });
  await widget.bubbles.filter({ hasText: "shipping is free" }).waitFor();
  await new Promise((resolve) => setTimeout(resolve, 500));
  await shop.screenshot({ path: out("widget-phone.png") });
  console.log(`wrote ${out("widget-phone.png")}`);
  agent.close();
  visitor.close();
} finally {
  await desktop.close();
  await phone.close();
  await parley.close();
}
