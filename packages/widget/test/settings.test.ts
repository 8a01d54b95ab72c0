import assert from "node:assert/strict";
import { test } from "node:test";
import type { WidgetConfig } from "@parley/protocol";
import { STRINGS } from "../src/i18n.js";
import {
  cableUrl,
  DEFAULT_COLOR,
  pickSettings,
  resolveLook,
  resolveSettings as resolveAll,
  serverOrigin,
  type PageSettings,
} from "../src/settings.js";
import { pickSite, withSite } from "../src/site.js";

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
  prechat: { name: "off", email: "off" },
  team: [{ id: 1, name: "Anna", avatar_url: null, online: true }],
  reply_time_seconds: 240,
  email_enabled: false,
  ask_email_after_seconds: null,
  privacy_url: null,
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
  const settings = resolveSettings(page, server, ["de"]);
  assert.equal(settings.title, "Page title");
  assert.equal(settings.greeting, "Hello from Acme");
  assert.equal(settings.color, "#112233");
  assert.equal(settings.textColor, "#ffffff");
  assert.equal(settings.position, "left");
  assert.equal(settings.locale, "fr");
  assert.equal(settings.launcherLabel, "Ask us");
});

test("the browser's language wins over the site's, which is for browsers the widget cannot speak to", () => {
  assert.equal(resolveSettings({}, server, ["ja-JP", "fr"]).locale, "ja");
  assert.equal(resolveSettings({}, server, ["de-DE"]).locale, "fr");
  assert.equal(resolveSettings({ locale: "en" }, server, ["ja"]).locale, "en", "the page's setting wins");
});

test("the server's English defaults are said in the visitor's language; a site's own words stay", () => {
  const defaults = { title: "Chat with us", greeting: "Hi! How can we help?" };
  const away = "We're away. Leave a message and we'll reply here.";
  const japanese = resolveSettings({}, { ...defaults, away_message: away }, ["ja"]);
  assert.equal(japanese.title, "チャットでお問い合わせ");
  assert.equal(japanese.greeting, "こんにちは！ご用件をどうぞ。");
  assert.equal(
    japanese.awayMessage,
    "ただいま不在です。メッセージを残していただければ、こちらで返信します。",
  );
  const own = resolveSettings({}, { title: "Acme", away_message: "Back after lunch" }, ["ja"]);
  assert.equal(own.title, "Acme");
  assert.equal(own.awayMessage, "Back after lunch");
  assert.equal(resolveSettings({}, null, ["fr"]).awayMessage, STRINGS.fr.offline);
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

test("a site key is taken from ParleySettings, then data-site; one given that is no key is refused", () => {
  assert.equal(pickSite(undefined, undefined), undefined);
  assert.equal(pickSite("shop_Site-1", undefined), "shop_Site-1");
  assert.equal(pickSite("shop_Site-1", { site: "docs-site" }), "docs-site");
  assert.equal(pickSite("docs-site", { title: "x" }), "docs-site");
  for (const bad of ["", "short", "has space1", "x".repeat(65), "ünicode-key"])
    assert.equal(pickSite(bad, {}), null, bad);
  assert.equal(pickSite("docs-site", { site: 12345678 }), null);
  assert.equal(withSite("https://chat.test/uploads", undefined), "https://chat.test/uploads");
  assert.equal(
    withSite("https://chat.test/uploads", "shop_Site-1"),
    "https://chat.test/uploads?site=shop_Site-1",
  );
});
