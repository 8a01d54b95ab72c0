/**
 * Contacts and the visitor's context (§12), the pure parts: live pages joined with the fetched
 * context, safe links, UTM order, the visitor's local time, attributes formatted and edited into
 * the PATCH that changes only what changed, the Contacts routes and the pre-chat form's changes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PAGE_HISTORY_LIMIT } from "@parley/protocol";
import { asAdminEvent } from "../src/live/adminEvents.js";
import {
  attributeChanges,
  attributeRows,
  contactLabel,
  formatAttribute,
  parseAttribute,
  textChange,
} from "../src/state/contactDraft.js";
import { identitySnippet, SECRET_VARIABLE, SNIPPET_LANGUAGES } from "../src/state/identitySnippets.js";
import { applyEvent, type LiveState } from "../src/state/live.js";
import { emptyList } from "../src/state/conversationList.js";
import { DEFAULT_FILTER } from "../src/state/filters.js";
import { sinceText } from "../src/state/relativeTime.js";
import { parseRoute, routePath } from "../src/state/routes.js";
import { widgetChanges, widgetDraft } from "../src/state/siteDraft.js";
import {
  addLivePage,
  browserLine,
  joinPages,
  localTimeIn,
  safeHref,
  utmEntries,
  withLivePages,
} from "../src/state/visitorContext.js";
import { contact, contextResponse, pageView, site } from "./fixtures.js";

function liveState(): LiveState {
  return {
    conversations: new Map(),
    list: emptyList(DEFAULT_FILTER),
    threads: new Map(),
    typing: new Map(),
    livePages: new Map(),
  };
}

test("visitor_page is a known AdminChannel event and lands in the conversation's live pages", () => {
  const event = asAdminEvent({ type: "visitor_page", conversation_id: 7, page: pageView(5) });
  assert.ok(event);
  const context = { meId: 1, nowMs: 0, readingId: null };
  let state = applyEvent(liveState(), event, context);
  state = applyEvent(state, { type: "visitor_page", conversation_id: 7, page: pageView(6) }, context);
  // The same page twice (a resent event) is kept once.
  state = applyEvent(state, { type: "visitor_page", conversation_id: 7, page: pageView(6) }, context);
  assert.deepEqual(
    state.livePages.get(7)?.map((page) => page.url),
    ["https://shop.example/page-5", "https://shop.example/page-6"],
  );
  assert.equal(state.livePages.get(8), undefined);
  const deleted = applyEvent(state, { type: "conversation_deleted", conversation_id: 7 }, context);
  assert.equal(deleted.livePages.get(7), undefined);
});

test("live pages join the fetched context: the newest is the current page, no page twice, 50 at most", () => {
  const fetched = contextResponse(3).context;
  const first = fetched.pages[0]!;
  const live = [first, pageView(2, "/lamps"), pageView(1, "/shades")];
  const joined = withLivePages(fetched, live);
  assert.deepEqual(
    joined.pages.map((page) => page.url),
    ["https://shop.example/", "https://shop.example/shades", "https://shop.example/lamps"],
  );
  assert.equal(joined.current_page?.url, "https://shop.example/lamps");
  assert.equal(joined.first_page?.url, "https://shop.example/");
  assert.equal(joined.last_seen_at, pageView(2).at);
  // Nothing live: the context as fetched, the same object.
  assert.equal(withLivePages(fetched, undefined), fetched);

  let many = new Map<number, readonly ReturnType<typeof pageView>[]>();
  for (let minute = 0; minute < PAGE_HISTORY_LIMIT + 5; minute++)
    many = new Map(addLivePage(many, 1, pageView(minute)));
  const kept = many.get(1) ?? [];
  assert.equal(kept.length, PAGE_HISTORY_LIMIT);
  assert.equal(kept.at(-1)?.url, `https://shop.example/page-${PAGE_HISTORY_LIMIT + 4}`);
  assert.deepEqual(joinPages([], []), []);
});

test("links only for http and https; anything else stays text", () => {
  assert.equal(safeHref("https://shop.example/a?b=1"), "https://shop.example/a?b=1");
  assert.equal(safeHref("http://shop.example"), "http://shop.example/");
  assert.equal(safeHref("javascript:alert(1)"), null);
  assert.equal(safeHref("JaVaScRiPt:alert(1)"), null);
  assert.equal(safeHref("data:text/html,<b>x</b>"), null);
  assert.equal(safeHref("/relative/path"), null);
  assert.equal(safeHref(""), null);
  assert.equal(safeHref(null), null);
});

test("UTM tags in their usual order, without the prefix; blanks dropped", () => {
  assert.deepEqual(
    utmEntries({ utm_campaign: "spring", utm_source: "newsletter", utm_medium: "email", utm_term: "" }),
    [
      ["source", "newsletter"],
      ["medium", "email"],
      ["campaign", "spring"],
    ],
  );
  assert.deepEqual(utmEntries({}), []);
});

test("the visitor's local time is read in their zone; an unknown zone says nothing", () => {
  const noonUtc = Date.UTC(2026, 0, 5, 12, 0); // a Monday
  assert.equal(localTimeIn("Asia/Tokyo", noonUtc, "en-GB"), "Mon 21:00");
  assert.equal(localTimeIn("America/New_York", noonUtc, "en-GB"), "Mon 07:00");
  assert.equal(localTimeIn("Not/AZone", noonUtc, "en-GB"), null);
  assert.equal(localTimeIn(null, noonUtc), null);
});

test("browser line: whatever is known of browser, OS and device", () => {
  assert.equal(
    browserLine({ browser: "Firefox 121", os: "Linux", device: "desktop" }),
    "Firefox 121 on Linux, desktop",
  );
  assert.equal(browserLine({ browser: null, os: "iOS", device: "mobile" }), "iOS, mobile");
  assert.equal(browserLine({ browser: null, os: null, device: null }), null);
});

test("attributes read in the agent's format: numbers grouped, booleans as Yes/No, a bare date as that day", () => {
  assert.equal(formatAttribute(1234.5, "en-US"), "1,234.5");
  assert.equal(formatAttribute(true), "Yes");
  assert.equal(formatAttribute(false), "No");
  assert.equal(formatAttribute("pro plan"), "pro plan");
  // Whatever the machine's zone, 1 March stays 1 March.
  assert.equal(formatAttribute({ date: "2026-03-01" }, "en-US"), "Mar 1, 2026");
  assert.equal(formatAttribute({ date: "not a date" }), "not a date");
});

test("attribute rows become the PATCH that changes only what changed; a removed key is sent as null", () => {
  const original = { plan: "pro", seats: 5, trial: true, renews: { date: "2026-03-01" } };
  const rows = attributeRows(original);
  assert.deepEqual(
    rows.map((row) => [row.key, row.kind, row.value]),
    [
      ["plan", "text", "pro"],
      ["renews", "date", "2026-03-01"],
      ["seats", "number", "5"],
      ["trial", "boolean", "true"],
    ],
  );
  const unchanged = attributeChanges(original, rows);
  assert.deepEqual(unchanged, { changes: {} });

  const edited = rows
    .filter((row) => row.key !== "trial")
    .map((row) => (row.key === "seats" ? { ...row, value: "12" } : row));
  edited.push({ key: "vip", kind: "boolean", value: "false" }, { key: "", kind: "text", value: "" });
  assert.deepEqual(attributeChanges(original, edited), { changes: { seats: 12, vip: false, trial: null } });
});

test("attribute edits the server would refuse are said first, naming the key", () => {
  const bad = (key: string, kind: "text" | "number" | "boolean" | "date", value: string) =>
    attributeChanges({}, [{ key, kind, value }]);
  assert.match(JSON.stringify(bad("has space", "text", "x")), /letters, digits or underscores/);
  assert.match(JSON.stringify(bad("seats", "number", "many")), /seats: a number/);
  assert.match(JSON.stringify(bad("seats", "number", "Infinity")), /seats: a number/);
  assert.match(JSON.stringify(bad("renews", "date", "soon")), /renews: a date/);
  assert.match(JSON.stringify(bad("note", "text", "x".repeat(501))), /at most 500/);
  assert.match(
    JSON.stringify(
      attributeChanges({}, [
        { key: "a", kind: "text", value: "1" },
        { key: "a", kind: "text", value: "2" },
      ]),
    ),
    /twice/,
  );
  assert.deepEqual(parseAttribute({ key: "n", kind: "number", value: " -2.5 " }), { value: -2.5 });
});

test("name and email: blank clears, unchanged is left out of the PATCH", () => {
  assert.equal(textChange("Ada", " Ada "), undefined);
  assert.equal(textChange("Ada", ""), null);
  assert.equal(textChange(null, "  "), undefined);
  assert.equal(textChange(null, "ada@example.com"), "ada@example.com");
});

test("a contact is named by name, email, the site's id, then number", () => {
  assert.equal(contactLabel(contact(4, { name: "Ada", email: "ada@example.com" })), "Ada");
  assert.equal(contactLabel(contact(4, { email: "ada@example.com" })), "ada@example.com");
  assert.equal(contactLabel(contact(4, { external_id: "user-9" })), "user-9");
  assert.equal(contactLabel(contact(4)), "Contact #4");
});

test("contacts routes round-trip", () => {
  assert.deepEqual(parseRoute("/admin/contacts"), { page: "contacts", contactId: null });
  assert.deepEqual(parseRoute("/admin/contacts/42/"), { page: "contacts", contactId: 42 });
  assert.equal(parseRoute("/admin/contacts/abc"), null);
  assert.equal(routePath({ page: "contacts", contactId: 42 }), "/admin/contacts/42");
  assert.equal(routePath({ page: "contacts", contactId: null }), "/admin/contacts");
});

test("the pre-chat form is sent only when a choice changed, as both fields", () => {
  const shop = site(2);
  const draft = widgetDraft(shop.widget);
  assert.deepEqual(widgetChanges(shop, draft), {});
  assert.deepEqual(widgetChanges(shop, { ...draft, prechat: { name: "off", email: "required" } }), {
    prechat: { name: "off", email: "required" },
  });
  // A server from before §12 sends no prechat: the form reads it as nothing asked.
  const old = { ...shop, widget: { ...shop.widget, prechat: undefined } } as unknown as typeof shop;
  assert.deepEqual(widgetDraft(old.widget).prechat, { name: "off", email: "off" });
});

test("hash snippets: one per language, each reading the secret from the environment, none with a secret in it", () => {
  assert.deepEqual(
    SNIPPET_LANGUAGES.map((language) => language.id),
    ["node", "python", "ruby", "php", "go"],
  );
  for (const { id } of SNIPPET_LANGUAGES) {
    const code = identitySnippet(id);
    assert.ok(code.includes(SECRET_VARIABLE), id);
    assert.match(code, /sha256|SHA256/, id);
  }
});

test("times beside contacts and pages read as sentences: Now, 5 min ago, 3 h ago, then the date", () => {
  const now = Date.UTC(2026, 5, 10, 12, 0);
  const ago = (ms: number): string => new Date(now - ms).toISOString();
  assert.equal(sinceText(ago(10_000), now), "Now");
  assert.equal(sinceText(ago(5 * 60_000), now), "5 min ago");
  assert.equal(sinceText(ago(3 * 3_600_000), now), "3 h ago");
  assert.equal(sinceText(ago(30 * 3_600_000), now), "yesterday");
  assert.equal(sinceText(ago(9 * 86_400_000), now, "en-US"), "Jun 1");
});
