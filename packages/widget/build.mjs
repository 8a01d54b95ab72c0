#!/usr/bin/env node
// Bundles the widget into minified IIFEs, so the only global it leaves on a host page is
// the `window.Parley` it sets on purpose:
// - dist/widget.js, the loader every page view downloads (src/loader/main.ts);
// - dist/widget-app.js, the chat app it fetches at idle or on first open (src/app/main.ts);
// - dist/widget-uploads.js, the upload code the app fetches on a first attach (src/uploads/chunk.ts);
// - dist/widget-prechat.js, the forms that ask who the visitor is, fetched when the site's
//   pre-chat form or the name ask after a first message is shown (src/prechat/chunk.ts);
// - dist/widget-identify.js, `POST /widget/identify`, fetched on a site's first
//   `Parley.identify` call (src/identify/chunk.ts);
// - dist/widget-expect.js, "Back Monday at 9:00" and the acknowledgement of a first message,
//   fetched when the site is closed or a first message is sent (src/expect/chunk.ts);
// - dist/widget-mail.js, email: the ask for an address, transcripts, a reply email's link,
//   fetched on a site that sends email once there are messages, or from such a link (src/mail/chunk.ts);
// - dist/widget-rating.js, the card that asks for a rating of a resolved conversation, fetched
//   when the server asks for one (src/rating/chunk.ts).
// Each asks for the next by its content hash, so they always match and can be cached for good.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const common = {
  bundle: true,
  format: "iife",
  minify: true,
  // Chrome 91 rather than 90: for 90 esbuild spells every `?.` out longhand (a V8 bug fixed in
  // 91), some 300 bytes gzipped; Firefox 90 and Safari 15 are of the same summer of 2021.
  target: ["chrome91", "firefox90", "safari15"],
  conditions: ["source"],
  legalComments: "none",
  logLevel: "warning",
};

/**
 * The app's own property names, which the minifier may shorten in widget-app.js alone: methods
 * and fields of its view, session, conversation and availability that only the app's code reads.
 * None is a name of the DOM, the wire (@parley/protocol), the `Parley` API or a chunk's contract
 * (the chunks and the loader are built apart, so a name they read must keep its spelling; the
 * check below holds that). They appear again and again in the app, and keeping them long cost
 * some 150 bytes gzipped of the first-message budget (test/size.test.ts).
 */
const APP_OWN = [
  "isOpen",
  "draft",
  "tray",
  "calm",
  "typingLine",
  "announce",
  "expect",
  "scrollToEnd",
  "refreshTimes",
  "setTitle",
  "setGreeting",
  "setTeam",
  "setPresence",
  "setAck",
  "setReconnecting",
  "setMessages",
  "highestId",
  "addPending",
  "unsent",
  "setDelivery",
  "unreadAfter",
  "connectionLost",
  "awayMessage",
  "visitorName",
  "siteUpdated",
  "arrived",
];

/** Builds `entry` into dist/`file` and returns the file's content hash, for the URL that loads it. */
async function bundle(entry, file, define = {}, options = {}) {
  const outfile = `${here}dist/${file}`;
  await build({ ...common, entryPoints: [`${here}src/${entry}`], outfile, define, ...options });
  // A bundle other than the app that reads one of the app's own names would miss it there.
  if (!options.mangleProps) {
    const source = readFileSync(outfile, "utf8");
    const used = APP_OWN.filter((name) => new RegExp(`[.{,]${name}\\b`).test(source));
    if (used.length) throw new Error(`${file} reads ${used.join(", ")}: take them out of APP_OWN`);
  }
  return JSON.stringify(createHash("sha256").update(readFileSync(outfile)).digest("base64url").slice(0, 12));
}

const uploads = await bundle("uploads/chunk.ts", "widget-uploads.js");
const prechat = await bundle("prechat/chunk.ts", "widget-prechat.js");
const identify = await bundle("identify/chunk.ts", "widget-identify.js");
const expect = await bundle("expect/chunk.ts", "widget-expect.js");
const mail = await bundle("mail/chunk.ts", "widget-mail.js");
const rating = await bundle("rating/chunk.ts", "widget-rating.js");
const app = await bundle(
  "app/main.ts",
  "widget-app.js",
  {
    __UPLOADS_VERSION__: uploads,
    __PRECHAT_VERSION__: prechat,
    __IDENTIFY_VERSION__: identify,
    __EXPECT_VERSION__: expect,
    __MAIL_VERSION__: mail,
    __RATING_VERSION__: rating,
  },
  { mangleProps: new RegExp(`^(${APP_OWN.join("|")})$`) },
);
await bundle("loader/main.ts", "widget.js", { __APP_VERSION__: app });
