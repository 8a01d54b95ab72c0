/** ASSETS_DIR and WIDGET_*: what browsers download, and the widget's look, from the configuration. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

  it("answers /widget/config with WIDGET_* and the stock greeting", async () => {
    const response = await fetch(`${server.url}/widget/config`, { headers: { origin: WIDGET_ORIGIN } });
    const config = (await response.json()) as WidgetConfig;
    assert.equal(config.title, "Talk to Acme");
    assert.equal(config.color, "#0a0");
    assert.equal(config.position, "left");
    assert.equal(config.greeting, "Hi! How can we help?");
  });
});
