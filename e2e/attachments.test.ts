/**
 * Attachments in both browsers (issue #8): a visitor attaches an image in the widget, embedded on
 * someone else's site, and the agent sees its thumbnail in the inbox; the agent attaches a PDF
 * and the visitor gets a download link. Pasting and dropping work too, and files the server
 * refuses (SVG, HTML dressed as PNG, too large) say so in plain words instead of vanishing.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import {
  dropOrPaste,
  htmlAsPng,
  imageLoaded,
  inboxFileInput,
  pdf,
  png,
  svg,
  widgetFileInput,
} from "./support/attachments.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { buildInbox, inboxIn, loginInInbox, type InboxHandle } from "./support/inbox.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn, type WidgetHandle } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const VISITOR = "Petra";
/** Small, so a "too large" file stays small too. */
const MAX_UPLOAD_MB = 1;

let parley: Parley;
let site: ThirdPartySite;
const browsers: Browser[] = [];
let visitorPage: Page;
let widget: WidgetHandle;
let inbox: InboxHandle;

before(async () => {
  if (skip) return;
  buildInbox();
  site = await startThirdPartySite();
  parley = await startParley({
    allowedOrigins: [site.origin],
    env: { MAX_UPLOAD_MB: String(MAX_UPLOAD_MB) },
  });
  // The stub queues the name until widget.js has loaded.
  const stub = `<script>window.Parley=function(){(Parley.q=Parley.q||[]).push(arguments)};Parley("identify",{name:"${VISITOR}"});</script>`;
  site.setPage("/", embedPage(parley.url, { body: `<h1>A shop</h1>${stub}` }));
  // Two browsers: the agent's session cookie must not ride along with the visitor's requests.
  browsers.push(await launchChromium(), await launchChromium());
  const [visitorBrowser, agentBrowser] = browsers;
  assert.ok(visitorBrowser && agentBrowser);
  visitorPage = await visitorBrowser.context.newPage();
  widget = widgetIn(visitorPage);
  inbox = inboxIn(await agentBrowser.context.newPage());
  await loginInInbox(inbox.page, parley.url, OWNER);
});

after(async () => {
  for (const browser of browsers) await browser.close();
  await parley?.close();
  await site?.close();
});

test(
  "a visitor's image shows as a thumbnail to the agent, and the agent's PDF as a download in the widget",
  { skip },
  async () => {
    const requested: string[] = [];
    visitorPage.on("request", (request) => requested.push(new URL(request.url()).pathname));
    await visitorPage.goto(`${site.origin}/`);
    await widget.launcher.click();
    await widget.send("Hello, here is the broken part");
    await widget.host.locator("li.v .t", { hasText: "now" }).waitFor();
    // The upload code is not part of what loads before the first message…
    assert.ok(!requested.includes("/widget-uploads.js"), requested.join(" "));

    await widgetFileInput(visitorPage).setInputFiles(png("broken-part.png", 640, 480));
    // The visitor's own message shows the thumbnail at once (from the upload's answer).
    const ownThumb = widget.host.locator('li.v .at img[alt="broken-part.png"]');
    await ownThumb.waitFor();
    // …it comes once, on the first attach, and leaves no global and no element behind.
    assert.equal(requested.filter((path) => path === "/widget-uploads.js").length, 1);
    assert.equal(await visitorPage.locator('script[src*="widget-uploads.js"]').count(), 0);
    await waitFor("the widget's thumbnail to load", () => imageLoaded(ownThumb));
    // A click opens the full image in a new tab, straight from the server.
    const [tab] = await Promise.all([visitorPage.context().waitForEvent("page"), ownThumb.click()]);
    await tab.waitForLoadState();
    assert.match(tab.url(), new RegExp(`^${parley.url}/uploads/\\d+/file\\?`));
    await tab.close();

    // The list previews a message of files alone by its file's name (live, from new_message).
    await inbox.row(VISITOR).locator(".preview", { hasText: "broken-part.png" }).waitFor();
    await inbox.open(VISITOR);
    const thumb = inbox.page.locator('.thread .messages li.in img[alt="broken-part.png"]');
    await thumb.waitFor();
    await waitFor("the inbox thumbnail to load", () => imageLoaded(thumb));
    const size = await thumb.evaluate((img: HTMLImageElement) => ({
      w: img.naturalWidth,
      h: img.naturalHeight,
    }));
    assert.ok(size.w <= 320 && size.h <= 320, `a thumbnail, not the full image: ${JSON.stringify(size)}`);
    assert.equal(await thumb.locator("xpath=..").getAttribute("target"), "_blank");

    await inboxFileInput(inbox.page).setInputFiles(pdf("invoice-42.pdf"));
    const card = inbox.page.locator(".thread .messages li.out a.file", { hasText: "invoice-42.pdf" });
    await card.waitFor();
    assert.match((await card.textContent()) ?? "", /PDF document · \d+ B/);
    // Settled: the server's echo replaced the pending copy.
    await inbox.page
      .locator(".thread .messages li.out[data-message-id] a.file", { hasText: "invoice-42.pdf" })
      .waitFor();
    await inbox.row(VISITOR).locator(".preview", { hasText: "You: invoice-42.pdf" }).waitFor();
    // After a reload the same preview comes from the server's `last_message` text.
    await inbox.page.reload();
    await inbox.row(VISITOR).locator(".preview", { hasText: "You: invoice-42.pdf" }).waitFor();

    const link = widget.host.locator("li.a .at a.f", { hasText: "invoice-42.pdf" });
    await link.waitFor();
    assert.equal(await link.getAttribute("download"), "invoice-42.pdf");
    assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
    const href = (await link.getAttribute("href")) ?? "";
    assert.ok(href.startsWith(`${parley.url}/uploads/`), href);
    const download = await fetch(href);
    assert.equal(download.status, 200);
    assert.match(download.headers.get("content-disposition") ?? "", /^attachment/);
    assert.ok((await download.text()).startsWith("%PDF-"));
  },
);

test("pasting an image in the widget and dropping one on the inbox attach them", { skip }, async () => {
  await dropOrPaste(widget.input, "paste", png("pasted.png"));
  await inbox.page.locator('.thread .messages li.in img[alt="pasted.png"]').waitFor();

  await dropOrPaste(inbox.page.locator(".thread-main"), "drop", png("dropped.png"));
  const dropped = widget.host.locator('li.a .at img[alt="dropped.png"]');
  await dropped.waitFor();
  await waitFor("the dropped image's thumbnail to load in the widget", () => imageLoaded(dropped));

  await dropOrPaste(widget.panel, "drop", pdf("dropped-on-widget.pdf"));
  await inbox.page.locator(".thread .messages li.in a.file", { hasText: "dropped-on-widget.pdf" }).waitFor();
});

test("files the server refuses get a clear message in the widget and in the inbox", { skip }, async () => {
  const errors = widget.host.locator(".tr [role=alert]");
  await widgetFileInput(visitorPage).setInputFiles(svg("drawing.svg"));
  await errors
    .filter({
      hasText:
        "“drawing.svg” can't be sent: only images (PNG, JPEG, GIF, WebP), PDF and text files are allowed.",
    })
    .waitFor();

  await widgetFileInput(visitorPage).setInputFiles(htmlAsPng("cat.png"));
  await errors.filter({ hasText: "“cat.png” can't be sent" }).waitFor();

  const big = {
    name: "huge.png",
    mimeType: "image/png",
    buffer: Buffer.alloc(MAX_UPLOAD_MB * 1024 * 1024 + 1000, 1),
  };
  await widgetFileInput(visitorPage).setInputFiles(big);
  await errors.filter({ hasText: `“huge.png” is too large to send (max ${MAX_UPLOAD_MB} MB).` }).waitFor();
  // Dismissing clears it.
  await errors.filter({ hasText: "huge.png" }).getByRole("button", { name: "Dismiss" }).click();
  await errors.filter({ hasText: "huge.png" }).waitFor({ state: "detached" });

  // Nothing refused ever reached the conversation.
  assert.equal(
    await inbox.page
      .locator('.thread .messages img[alt="drawing.svg"], .thread .messages img[alt="cat.png"]')
      .count(),
    0,
  );

  await inboxFileInput(inbox.page).setInputFiles(svg("logo.svg"));
  await inbox.page
    .locator(".toast", { hasText: "Not sent: “logo.svg”: This type of file is not allowed" })
    .waitFor();
  assert.equal(await inbox.page.locator(".thread .messages li.out", { hasText: "logo.svg" }).count(), 0);
});

test(
  "widget-uploads.js is served like widget.js: gzip, ETag, immutable when versioned",
  { skip },
  async () => {
    const first = await fetch(`${parley.url}/widget-uploads.js?v=1`, {
      headers: { "accept-encoding": "gzip" },
    });
    assert.equal(first.status, 200);
    assert.equal(first.headers.get("content-encoding"), "gzip");
    assert.match(first.headers.get("cache-control") ?? "", /immutable/);
    assert.match(first.headers.get("content-type") ?? "", /^application\/javascript/);
    const etag = first.headers.get("etag");
    assert.ok(etag);
    const again = await fetch(`${parley.url}/widget-uploads.js`, { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
  },
);
