/** ASSETS_DIR and WIDGET_*: what browsers download, and the widget's look, from the configuration. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { WidgetConfig } from "@parley/protocol";
import { startTestServer, WIDGET_ORIGIN, type TestServer } from "../support/testServer.js";

describe("assets and widget look from the configuration", () => {
  const assets = mkdtempSync(join(tmpdir(), "parley-assets-"));
  let server: TestServer;

  before(async () => {
    writeFileSync(join(assets, "widget.js"), "/* Acme's own widget build */\n");
    writeFileSync(join(assets, "demo.html"), "<!doctype html><title>Acme demo</title>\n");
    mkdirSync(join(assets, "inbox"));
    writeFileSync(join(assets, "inbox", "index.html"), "<!doctype html><title>Acme inbox</title>\n");
    mkdirSync(join(assets, "inbox", "assets"));
    writeFileSync(join(assets, "inbox", "assets", "inbox-1a2b.js"), "console.log('inbox');\n");
    writeFileSync(join(assets, "inbox", ".env"), "SECRET=1\n");
    writeFileSync(join(assets, "inbox-secret.txt"), "beside the build, not in it\n");
    server = await startTestServer({
      ASSETS_DIR: assets,
      WIDGET_TITLE: "Talk to Acme",
      WIDGET_COLOR: "#0a0",
      WIDGET_POSITION: "left",
    });
  });
  after(async () => {
    await server?.dispose();
    rmSync(assets, { recursive: true, force: true });
  });

  it("serves widget.js, the demo page and the inbox from ASSETS_DIR", async () => {
    const widget = await fetch(`${server.url}/widget.js`);
    assert.equal(widget.status, 200);
    assert.equal(await widget.text(), "/* Acme's own widget build */\n");
    const demo = await fetch(`${server.url}/`);
    assert.match(await demo.text(), /Acme demo/);
    assert.match(await (await fetch(`${server.url}/admin/chats/1`)).text(), /Acme inbox/);
    // Not built there: the same answer as an unbuilt checkout gives.
    assert.equal((await fetch(`${server.url}/widget-uploads.js`)).status, 404);
  });

  it("serves the inbox build's files, and its page for every other path under /admin", async () => {
    const script = await fetch(`${server.url}/admin/assets/inbox-1a2b.js`);
    assert.equal(script.status, 200);
    assert.equal(await script.text(), "console.log('inbox');\n");
    assert.match(script.headers.get("content-type") ?? "", /javascript/);
    const etag = script.headers.get("etag");
    assert.ok(etag !== null && script.headers.get("last-modified") !== null);
    const part = await fetch(`${server.url}/admin/assets/inbox-1a2b.js`, { headers: { range: "bytes=0-6" } });
    assert.equal(part.status, 206);
    assert.equal(await part.text(), "console");

    // The page: no file by that path, a dotfile, a folder, a way out of the build.
    for (const path of ["/admin", "/admin/", "/admin/chats/12", "/admin/.env", "/admin/assets"]) {
      const page = await fetch(`${server.url}${path}`);
      assert.equal(page.status, 200, path);
      assert.match(await page.text(), /Acme inbox/, path);
      // A new build's page (and the names of its assets) is seen at the next load.
      assert.equal(page.headers.get("cache-control"), "no-cache", path);
    }
    // Sent as is (a URL would resolve the dots first): the page, not the file beside the build.
    const escape = await new Promise<string>((resolve, reject) =>
      get(server.url, { path: "/admin/%2e%2e/inbox-secret.txt" }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve(`${response.statusCode} ${body}`));
      }).on("error", reject),
    );
    assert.match(escape, /^200 .*Acme inbox/s);
  });

  it("answers /widget/config with WIDGET_* and the stock greeting", async () => {
    const response = await fetch(`${server.url}/widget/config`, { headers: { origin: WIDGET_ORIGIN } });
    const config = (await response.json()) as WidgetConfig;
    assert.equal(config.title, "Talk to Acme");
    assert.equal(config.color, "#0a0");
    assert.equal(config.position, "left");
    assert.equal(config.greeting, "Hi! How can we help?");
  });
});
