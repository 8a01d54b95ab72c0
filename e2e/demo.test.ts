/**
 * What a newcomer sees after `npm start`: the demo page at `/` with the widget working, and
 * widget.js served cheaply (ETag, gzip) within the weight budget as the browser downloads it.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { widgetIn } from "./support/widgetPage.js";

const BUDGET_BYTES = 12 * 1024;
const skip = skipWithoutChromium();

let parley: Parley;
let browser: Browser | undefined;

before(async () => {
  parley = await startParley();
  if (!skip) browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await parley?.close();
});

test("the demo page embeds the widget; widget.js has an ETag", async () => {
  const demo = await fetch(`${parley.url}/`);
  assert.equal(demo.status, 200);
  assert.match(await demo.text(), /<script src="\/widget.js" async><\/script>/);
  const first = await fetch(`${parley.url}/widget.js`);
  assert.equal(first.status, 200);
  const etag = first.headers.get("etag");
  assert.ok(etag, "an ETag");
  const again = await fetch(`${parley.url}/widget.js`, { headers: { "if-none-match": etag } });
  assert.equal(again.status, 304);
});

test("in a browser, everything before the first message fits 12 KB compressed", { skip }, async () => {
  assert.ok(browser);
  const page = await browser.context.newPage();
  const downloads = new Map<string, number>();
  page.on("requestfinished", (request) => {
    void request
      .sizes()
      .then((sizes) => downloads.set(new URL(request.url()).pathname, sizes.responseBodySize));
  });
  await page.goto(`${parley.url}/`);
  const widget = widgetIn(page);
  await widget.launcher.click();
  await widget.send("Hello from the demo");
  await widget.host.locator("li.v .t", { hasText: "now" }).waitFor();
  const widgetBytes = (downloads.get("/widget.js") ?? 0) + (downloads.get("/widget/config") ?? 0);
  assert.ok(downloads.has("/widget.js") && downloads.has("/widget/config"), JSON.stringify([...downloads]));
  console.log(`widget downloads before the first message: ${widgetBytes} bytes (budget ${BUDGET_BYTES})`);
  assert.ok(widgetBytes <= BUDGET_BYTES, `${widgetBytes} bytes`);
  await page.close();
});
