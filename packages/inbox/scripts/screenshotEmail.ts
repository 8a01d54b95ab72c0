/**
 * Takes docs/inbox-email.png, Settings → Email as the README shows it: a real server that sends
 * to an SMTP server in this process, after one test email went out. Run:
 * `npx tsx --conditions=source packages/inbox/scripts/screenshotEmail.ts [out.png] [light|dark]`
 * (needs Chromium).
 */
import { fileURLToPath } from "node:url";
import { startSmtpServer } from "../../server/test/support/smtpServer.js";
import { launchChromium } from "../../../e2e/support/chromium.js";
import { buildInbox, loginInInbox } from "../../../e2e/support/inbox.js";
import { OWNER, startParley } from "../../../e2e/support/parley.js";

const [outArg, schemeArg] = process.argv.slice(2);
const output = outArg ?? fileURLToPath(new URL("../../../docs/inbox-email.png", import.meta.url));

buildInbox();
const smtp = await startSmtpServer();
const parley = await startParley({
  env: {
    SMTP_URL: smtp.url,
    MAIL_FROM: "Acme Help <help@acme.example>",
    PUBLIC_URL: "https://chat.acme.example",
  },
});
const browser = await launchChromium({ viewport: { width: 1100, height: 1000 } });
try {
  const page = await browser.context.newPage();
  if (schemeArg === "dark") await page.emulateMedia({ colorScheme: "dark" });
  await loginInInbox(page, parley.url, OWNER);
  await page.getByRole("region", { name: "Get notified" }).getByRole("button", { name: "Dismiss" }).click();
  await page.goto(`${parley.url}/admin/settings/email`);
  const test = page.getByRole("form", { name: "Send a test email" });
  await test.getByLabel("Email address").fill("owner@acme.example");
  await test.getByRole("button", { name: "Send a test email" }).click();
  await test.getByRole("status").waitFor();
  await smtp.waitFor(1);
  await page.locator("main.settings").screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await parley.close();
  await smtp.stop();
}
