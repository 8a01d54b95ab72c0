/**
 * What a newcomer sees after `npm start`: the demo page at `/` with the widget working, and
 * widget.js and the chat app served cheaply (ETag, gzip) within the weight budgets, as the
 * browser downloads them.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { widgetIn } from "./support/widgetPage.js";

/** What every page view pays: the loader. */
const LOADER_BUDGET_BYTES = 5 * 1024;
/** What a visitor downloads before their first message: loader, chat app and config. */
const BUDGET_BYTES = 16 * 1024;
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

test(
  "in a browser, the loader fits 5 KB and everything before the first message 16 KB, compressed",
  { skip },
  async () => {
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
    const parts = ["/widget.js", "/widget-app.js", "/widget/config"];
    assert.ok(
      parts.every((part) => downloads.has(part)),
      JSON.stringify([...downloads]),
    );
    const loaderBytes = downloads.get("/widget.js") ?? 0;
    const widgetBytes = parts.reduce((sum, part) => sum + (downloads.get(part) ?? 0), 0);
    console.log(`loader: ${loaderBytes} bytes (budget ${LOADER_BUDGET_BYTES})`);
    console.log(`widget downloads before the first message: ${widgetBytes} bytes (budget ${BUDGET_BYTES})`);
    assert.ok(loaderBytes <= LOADER_BUDGET_BYTES, `${loaderBytes} bytes`);
    assert.ok(widgetBytes <= BUDGET_BYTES, `${widgetBytes} bytes`);
    assert.ok(!downloads.has("/widget-uploads.js"), "the upload code waits for a first attach");
    await page.close();
  },
);
