/**
 * The inbox under its Content-Security-Policy, in Chromium: the page comes with the policy, and
 * a session that logs in, follows a live conversation, replies and sends an image (its pending
 * preview and its thumbnail) trips no violation of it.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { imageLoaded, inboxFileInput, png } from "./support/attachments.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();

let parley: Parley;
let browser: Browser;
let visitor: StockVisitor | undefined;

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  browser = await launchChromium();
});

after(async () => {
  visitor?.close();
  await browser?.close();
  await parley?.close();
});

/** Records every violation the page reports, from its first script on. */
const RECORD_VIOLATIONS = `
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(event.violatedDirective + " " + event.blockedURI);
  });
`;

test("the inbox works under its Content-Security-Policy, with no violation", { skip }, async () => {
  const page = await browser.context.newPage();
  await page.addInitScript({ content: RECORD_VIOLATIONS });
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (/Content.Security.Policy/i.test(message.text())) consoleErrors.push(message.text());
  });

  const response = await page.goto(`${parley.url}/admin/login`);
  const policy = response?.headers()["content-security-policy"] ?? "";
  assert.match(policy, /script-src 'self'/);
  assert.match(policy, /frame-ancestors 'none'/);

  const inbox = inboxIn(page);
  await loginInInbox(page, parley.url, OWNER);
  visitor = await connectVisitor(parley.url, "Vera");
  visitor.send("Hello from Vera");
  await inbox.open("Vera");
  await inbox.bubbles.filter({ hasText: "Hello from Vera" }).waitFor();
  await inbox.reply("Hello Vera");
  await visitor.next("message", (event) => event.message.content === "Hello Vera");

  await inboxFileInput(page).setInputFiles(png("under-policy.png"));
  const thumb = page.locator('.thread .messages li.out[data-message-id] img[alt="under-policy.png"]');
  await thumb.waitFor();
  await waitFor("the thumbnail to load", () => imageLoaded(thumb));

  const violations = await page.evaluate(
    () => (window as unknown as { __violations: string[] }).__violations,
  );
  assert.deepEqual(violations, []);
  assert.deepEqual(consoleErrors, []);
});
