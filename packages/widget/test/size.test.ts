/**
 * The weight budgets, on the built files, gzipped at level 9 as the server sends them:
 * - the loader (widget.js), what every page view of the host site pays: at most 5 KB;
 * - everything a visitor downloads before their first message is sent, the loader, the chat app
 *   (widget-app.js) and the `GET /widget/config` response (sent as it is: counted here at the size
 *   of a site's default words with a full team of faces, §14): at most 16 KB;
 * - the upload code, a chunk fetched only when a visitor first attaches a file: at most 4 KB;
 * - the pre-chat form and name ask, a chunk fetched when the site asks or after a first message:
 *   at most 4 KB;
 * - identify, a chunk fetched on a site's first `Parley.identify`: at most 1 KB;
 * - expect, a chunk fetched when the site is closed ("Back Monday at 9:00") or once there are
 *   messages (their times and links, the acknowledgement, typing): at most 2 KB;
 * - mail, a chunk fetched on a site that sends email once there are messages, or from a reply
 *   email's link (the ask for an address, transcripts, the link's exchange): at most 4 KB.
 */
import { MAX_TEAM_FACES, type WidgetConfig } from "@parley/protocol";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const LOADER_BUDGET_BYTES = 5 * 1024;
const FIRST_MESSAGE_BUDGET_BYTES = 16 * 1024;
/** The largest config a site sends with the server's words: five faces, each with a photo. */
const CONFIG: WidgetConfig = {
  title: "Chat with us",
  greeting: "Hi! How can we help?",
  color: "#2455c3",
  position: "right",
  locale: null,
  launcher_label: null,
  agents_online: true,
  site_key: "k7Qx2mVb9RtL4wPz8NcY",
  away_message: "We're away. Leave a message and we'll reply here.",
  within_hours: true,
  next_open_at: null,
  time_zone: null,
  hours_change_at: null,
  prechat: { name: "off", email: "off" },
  team: Array.from({ length: MAX_TEAM_FACES }, (_, i) => ({
    id: 101 + i,
    name: "Anna Schmidt",
    avatar_url: `/avatars/${101 + i}-0123456789abcdef.webp`,
    online: true,
  })),
  reply_time_seconds: 1234,
  email_enabled: false,
  ask_email_after_seconds: null,
  privacy_url: null,
};
const CONFIG_RESPONSE_BYTES = Buffer.byteLength(JSON.stringify(CONFIG));
const UPLOADS_CHUNK_BUDGET_BYTES = 4 * 1024;
const PRECHAT_CHUNK_BUDGET_BYTES = 4 * 1024;
const IDENTIFY_CHUNK_BUDGET_BYTES = 1024;
const EXPECT_CHUNK_BUDGET_BYTES = 2 * 1024;
const MAIL_CHUNK_BUDGET_BYTES = 4 * 1024;
const RATING_CHUNK_BUDGET_BYTES = 2.5 * 1024;
const BUNDLES = [
  "widget.js",
  "widget-app.js",
  "widget-uploads.js",
  "widget-prechat.js",
  "widget-identify.js",
  "widget-expect.js",
  "widget-mail.js",
  "widget-rating.js",
];
const widgetDir = fileURLToPath(new URL("..", import.meta.url));

function gzipped(file: string): number {
  const bundle = readFileSync(`${widgetDir}dist/${file}`);
  const size = gzipSync(bundle, { level: 9 }).length;
  console.log(`${file}: ${bundle.length} bytes, ${size} bytes gzipped`);
  return size;
}

before(() => {
  const build = spawnSync(process.execPath, ["build.mjs"], { cwd: widgetDir, encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
});

test("the loader, widget.js, fits the 5 KB gzip budget", () => {
  const loader = gzipped("widget.js");
  assert.ok(
    loader <= LOADER_BUDGET_BYTES,
    `widget.js is ${loader} bytes gzipped (budget ${LOADER_BUDGET_BYTES})`,
  );
});

test("loader, app and config, all a visitor needs before the first message, fit 16 KB gzipped", () => {
  const total = gzipped("widget.js") + gzipped("widget-app.js") + CONFIG_RESPONSE_BYTES;
  console.log(
    `before the first message: ${total} bytes with a ${CONFIG_RESPONSE_BYTES}-byte config (budget ${FIRST_MESSAGE_BUDGET_BYTES})`,
  );
  assert.ok(total <= FIRST_MESSAGE_BUDGET_BYTES, `${total} bytes with the config response`);
});

test("the uploads chunk, loaded on first attach, fits its 4 KB gzip budget", () => {
  const chunk = gzipped("widget-uploads.js");
  assert.ok(chunk <= UPLOADS_CHUNK_BUDGET_BYTES, `widget-uploads.js is ${chunk} bytes gzipped`);
});

test("the expect chunk, loaded when closed or once there are messages, fits its 2 KB gzip budget", () => {
  const chunk = gzipped("widget-expect.js");
  assert.ok(chunk <= EXPECT_CHUNK_BUDGET_BYTES, `widget-expect.js is ${chunk} bytes gzipped`);
});

test("the mail chunk, loaded on email sites once there are messages, fits its 4 KB gzip budget", () => {
  const chunk = gzipped("widget-mail.js");
  assert.ok(chunk <= MAIL_CHUNK_BUDGET_BYTES, `widget-mail.js is ${chunk} bytes gzipped`);
});

test("the rating chunk, loaded when a rating is asked for, fits its 2.5 KB gzip budget", () => {
  const chunk = gzipped("widget-rating.js");
  assert.ok(chunk <= RATING_CHUNK_BUDGET_BYTES, `widget-rating.js is ${chunk} bytes gzipped`);
});

test("the pre-chat and identify chunks fit their gzip budgets", () => {
  const prechat = gzipped("widget-prechat.js");
  assert.ok(prechat <= PRECHAT_CHUNK_BUDGET_BYTES, `widget-prechat.js is ${prechat} bytes gzipped`);
  const identify = gzipped("widget-identify.js");
  assert.ok(identify <= IDENTIFY_CHUNK_BUDGET_BYTES, `widget-identify.js is ${identify} bytes gzipped`);
});

test("the app carries neither the chunks' words nor the identify call", () => {
  const app = readFileSync(`${widgetDir}dist/widget-app.js`, "utf8");
  for (const part of [
    "Fields marked",
    "Want to tell us your name",
    "/widget/identify",
    "/widget/contact",
    "we got your message",
    "Back tomorrow",
    "is typing",
    "nofollow",
    "/widget/transcript",
    "/widget/resume",
    "reply by email",
    "How was this conversation",
  ]) {
    assert.ok(!app.includes(part), `widget-app.js must not carry ${part}: it belongs to a chunk`);
  }
});

test("the loader carries neither the connection nor the panel's words", () => {
  const loader = readFileSync(`${widgetDir}dist/widget.js`, "utf8");
  for (const part of ["WebSocket", "Write a message", "Leave a message"]) {
    assert.ok(!loader.includes(part), `widget.js must not carry ${part}: it belongs to the app`);
  }
});

test("every bundle is an IIFE with no markup sinks", () => {
  for (const file of BUNDLES) {
    const source = readFileSync(`${widgetDir}dist/${file}`, "utf8");
    for (const sink of [
      "innerHTML",
      "outerHTML",
      "insertAdjacentHTML",
      "document.write",
      "eval(",
      "new Function",
    ]) {
      assert.ok(!source.includes(sink), `${file} must not use ${sink}`);
    }
    assert.match(source, /^"use strict";\(\(\)=>\{/);
  }
});
