import assert from "node:assert/strict";
import { test } from "node:test";
import type { Site } from "@parley/protocol";
import { asAdminEvent } from "../src/live/adminEvents.js";
import { parseHexColor, textColorOn } from "../src/state/brandColor.js";
import {
  closeForField,
  closeFromField,
  dayProblem,
  normalizedHours,
  startingHours,
  timeZoneChoices,
} from "../src/state/businessHours.js";
import { addPage, belongsInList, emptyList, placeInList } from "../src/state/conversationList.js";
import { DEFAULT_FILTER, filterQuery } from "../src/state/filters.js";
import { parseRoute, routePath } from "../src/state/routes.js";
import { parseOrigins, widgetChanges, widgetDraft } from "../src/state/siteDraft.js";
import { embedSnippet, siteLabel, upsertSite } from "../src/state/sites.js";
import { conversation, site } from "./fixtures.js";

test("sites: the default first then by name; a newer copy replaces an older one, never the reverse", () => {
  let sites = [site(3, { name: "Shop" }), site(1, { name: "Zebra docs" })].reduce(
    upsertSite,
    [] as readonly Site[],
  );
  assert.deepEqual(
    sites.map((s) => s.name),
    ["Zebra docs", "Shop"],
  );
  sites = upsertSite(sites, site(2, { name: "Blog" }));
  assert.deepEqual(
    sites.map((s) => s.id),
    [1, 2, 3],
  );
  const renamed = site(3, { name: "Alpha shop", updated_at: "2026-01-02T00:00:00.000Z" });
  sites = upsertSite(sites, renamed);
  assert.deepEqual(
    sites.map((s) => s.name),
    ["Zebra docs", "Alpha shop", "Blog"],
  );
  assert.equal(upsertSite(sites, site(3, { name: "Stale" })), sites, "an older copy changes nothing");
});

test("site_updated is an AdminChannel event the inbox takes", () => {
  const event = { type: "site_updated", site: site(2) };
  assert.deepEqual(asAdminEvent(event), event);
});

test("a conversation's site is named only where there are several sites", () => {
  const c = conversation(7, { site_id: 2 });
  assert.equal(siteLabel([site(1)], c), null);
  assert.equal(siteLabel([site(1), site(2, { name: "Shop" })], c), "Shop");
  assert.equal(
    siteLabel([site(1), site(2)], conversation(8, { site_id: 9 })),
    null,
    "a site not (yet) known",
  );
});

test("the site filter: sent as site_id, and live conversations of other sites stay out of the list", () => {
  const filter = { ...DEFAULT_FILTER, siteId: 2 };
  assert.deepEqual(filterQuery(filter), { state: "open", site_id: "2" });
  const list = { ...emptyList(filter), loaded: true, loading: false };
  const ours = conversation(1, { site_id: 2 });
  const theirs = conversation(2, { site_id: 3 });
  const map = new Map([
    [1, ours],
    [2, theirs],
  ]);
  assert.equal(belongsInList(list, ours, map, 1), true);
  assert.equal(belongsInList(list, theirs, map, 1), false);
  const placed = placeInList(placeInList(list, ours, map, 1), theirs, map, 1);
  assert.deepEqual(placed.ids, [1]);
  const all = addPage(emptyList({ ...filter, siteId: null }), { conversations: [theirs, ours] }, map, {
    fresh: true,
  });
  assert.deepEqual(all.ids, [2, 1]);
});

test("settings routes, both ways", () => {
  assert.deepEqual(parseRoute("/admin/settings"), { page: "settings", section: "sites" });
  assert.deepEqual(parseRoute("/admin/settings/general/"), { page: "settings", section: "general" });
  assert.deepEqual(parseRoute("/admin/settings/sites/12"), { page: "settings", section: "site", siteId: 12 });
  assert.equal(parseRoute("/admin/settings/sites/x"), null);
  assert.equal(routePath({ page: "settings", section: "site", siteId: 12 }), "/admin/settings/sites/12");
  assert.equal(routePath({ page: "settings", section: "general" }), "/admin/settings/general");
});

test("the snippet names the server's widget.js and the site's key", () => {
  assert.equal(
    embedSnippet("https://chat.example.com", "AbC_123-xyz"),
    '<script src="https://chat.example.com/widget.js" data-site="AbC_123-xyz" async></script>',
  );
});

test("the widget form sends only what changed, never a field the environment fixes", () => {
  const fixed = site(1, { fixed_by_environment: ["title"] });
  const draft = { ...widgetDraft(fixed.widget), title: "Edited", color: " #FF0000 ", launcher_label: "  " };
  assert.deepEqual(widgetChanges(fixed, draft), { color: "#FF0000" });
  const labelled = { ...widgetDraft(fixed.widget), launcher_label: " Help ", locale: "fr" };
  assert.deepEqual(widgetChanges(fixed, labelled), { launcher_label: "Help", locale: "fr" });
  assert.deepEqual(widgetChanges(fixed, widgetDraft(fixed.widget)), {});
});

test("the widget form's privacy link and rating question: trimmed, blank is none, sent only when changed", () => {
  const plain = site(1);
  const draft = widgetDraft(plain.widget);
  assert.equal(draft.privacy_url, "", "no link shows as an empty field");
  assert.equal(draft.ask_rating, true);
  assert.deepEqual(
    widgetChanges(plain, { ...draft, privacy_url: "  https://shop.example/privacy ", ask_rating: false }),
    { privacy_url: "https://shop.example/privacy", ask_rating: false },
  );
  assert.deepEqual(widgetChanges(plain, { ...draft, privacy_url: "   " }), {}, "blank is the none it was");
  const linked = site(2, {
    widget: { ...plain.widget, privacy_url: "https://shop.example/privacy", ask_rating: false },
  });
  const linkedDraft = widgetDraft(linked.widget);
  assert.equal(linkedDraft.privacy_url, "https://shop.example/privacy");
  assert.equal(linkedDraft.ask_rating, false);
  assert.deepEqual(widgetChanges(linked, linkedDraft), {});
  assert.deepEqual(widgetChanges(linked, { ...linkedDraft, privacy_url: "" }), { privacy_url: null });
  // A server from before §18 sends neither: the form shows the defaults and sends nothing for them.
  const { ask_rating: _rating, privacy_url: _url, ...older } = plain.widget;
  const oldSite = site(3, { widget: older as typeof plain.widget });
  assert.deepEqual(widgetDraft(oldSite.widget).ask_rating, true);
  assert.deepEqual(widgetDraft(oldSite.widget).privacy_url, "");
});

test("origins: one a line, blanks dropped, the rest as typed for the server to judge", () => {
  assert.deepEqual(parseOrigins(" https://a.example \n\n\thttp://b.example:8080\nnot an origin\n"), [
    "https://a.example",
    "http://b.example:8080",
    "not an origin",
  ]);
});

test("business hours: midnight as a closing time, problems in words, the wire's order", () => {
  assert.equal(closeForField("24:00"), "00:00");
  assert.equal(closeFromField("00:00"), "24:00");
  assert.equal(closeFromField("17:30"), "17:30");
  assert.equal(dayProblem([{ open: "09:00", close: "24:00" }]), null);
  assert.match(dayProblem([{ open: "17:00", close: "09:00" }]) ?? "", /after the opening/);
  assert.match(
    dayProblem([
      { open: "13:00", close: "18:00" },
      { open: "09:00", close: "13:30" },
    ]) ?? "",
    /overlap/,
  );
  assert.equal(
    dayProblem([
      { open: "13:00", close: "18:00" },
      { open: "09:00", close: "13:00" },
    ]),
    null,
    "touching intervals are fine",
  );
  assert.match(dayProblem([{ open: "", close: "10:00" }]) ?? "", /every interval/);
  const hours = normalizedHours({
    time_zone: "Europe/Berlin",
    weekly: {
      mon: [
        { open: "13:00", close: "17:00" },
        { open: "09:00", close: "12:00" },
      ],
      tue: [],
    },
    closed_days: ["2026-12-25", "2026-12-24", "2026-12-25"],
  });
  assert.deepEqual(hours, {
    time_zone: "Europe/Berlin",
    weekly: {
      mon: [
        { open: "09:00", close: "12:00" },
        { open: "13:00", close: "17:00" },
      ],
    },
    closed_days: ["2026-12-24", "2026-12-25"],
  });
  assert.deepEqual(Object.keys(startingHours("Asia/Tokyo").weekly), ["mon", "tue", "wed", "thu", "fri"]);
  assert.ok(timeZoneChoices("Europe/Berlin").includes("Europe/Berlin"));
  assert.equal(timeZoneChoices("Etc/Unknown-Zone")[0], "Etc/Unknown-Zone", "the saved zone stays pickable");
});

test("the preview's colours: the widget's parsing and its white-or-black text", () => {
  assert.equal(parseHexColor("#ABC"), "#aabbcc");
  assert.equal(parseHexColor("blue"), null);
  assert.equal(textColorOn("#2563eb"), "#ffffff");
  assert.equal(textColorOn("#facc15"), "#000000");
});
