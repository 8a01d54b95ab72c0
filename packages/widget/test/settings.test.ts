import assert from "node:assert/strict";
import { test } from "node:test";
import type { WidgetConfig } from "@parley/protocol";
import {
  cableUrl,
  DEFAULT_COLOR,
  pickSettings,
  resolveLook,
  resolveSettings as resolveAll,
  serverOrigin,
  type PageSettings,
} from "../src/settings.js";

/** What the loader resolves, then what the app adds to it. */
function resolveSettings(page: PageSettings, config: Partial<WidgetConfig> | null, languages: string[]) {
  return resolveAll(page, config, resolveLook(page, config, languages));
}

const server: WidgetConfig = {
  title: "Acme support",
  greeting: "Hello from Acme",
  color: "#ffcc00",
  position: "left",
  locale: "fr",
  launcher_label: "Help",
  agents_online: true,
  site_key: "site-key-acme",
  away_message: "Back soon",
  within_hours: true,
  next_open_at: null,
  time_zone: null,
  hours_change_at: null,
};

test("page settings win over the server's, which win over defaults", () => {
  const page = pickSettings({
    title: "Page title",
    color: "#112233",
    launcherLabel: "Ask us",
    junk: "x",
    greeting: 5,
  });
  assert.deepEqual(page, { title: "Page title", color: "#112233", launcherLabel: "Ask us" });
  const settings = resolveSettings(page, server, ["ja"]);
  assert.equal(settings.title, "Page title");
  assert.equal(settings.greeting, "Hello from Acme");
  assert.equal(settings.color, "#112233");
  assert.equal(settings.textColor, "#ffffff");
  assert.equal(settings.position, "left");
  assert.equal(settings.locale, "fr");
  assert.equal(settings.launcherLabel, "Ask us");
});

test("without server config the locale's own words and the default colour are used", () => {
  const settings = resolveSettings({ locale: "ja", position: "middle", color: "javascript:1" }, null, ["en"]);
  assert.equal(settings.title, "チャットでお問い合わせ");
  assert.equal(settings.color, DEFAULT_COLOR);
  assert.equal(settings.position, "right");
  assert.equal(settings.launcherLabel, null);
  assert.equal(resolveSettings({}, null, ["fr-FR"]).locale, "fr");
});

test("blank values are ignored, so an empty data-title does not blank the header", () => {
  assert.deepEqual(pickSettings({ title: "  ", server: " https://chat.test " }), {
    server: "https://chat.test",
  });
  assert.deepEqual(pickSettings(null), {});
  assert.deepEqual(pickSettings("title"), {});
});

test("the server is the setting, else the script's origin, else the page's", () => {
  const page = "https://shop.test/cart";
  assert.equal(serverOrigin("https://chat.test/x", "https://cdn.test/widget.js", page), "https://chat.test");
  assert.equal(
    serverOrigin(undefined, "https://chat.test:8443/widget.js?v=3", page),
    "https://chat.test:8443",
  );
  assert.equal(serverOrigin(undefined, undefined, page), "https://shop.test");
  assert.equal(serverOrigin("http://[bad", "/widget.js", page), "https://shop.test");
  assert.equal(cableUrl("https://chat.test"), "wss://chat.test/cable");
  assert.equal(cableUrl("http://127.0.0.1:3100"), "ws://127.0.0.1:3100/cable");
});
