/** Sites and owner settings over REST (protocol §10), against a running server. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SITE_KEY_PATTERN, type OwnerSettings, type Site } from "@parley/protocol";
import { login, startTestServer, type TestServer } from "../support/testServer.js";

/** Every field any answer here has; each test reads those its answer carries. */
interface Answer {
  error: string;
  site: Site;
  sites: Site[];
  agent: { id: number };
  settings: OwnerSettings;
  fixed_by_environment: string[];
}

describe("sites and settings over REST", () => {
  let server: TestServer;
  let owner: string;
  let agent: string;
  let agentId: number;

  const api = async (
    path: string,
    init: { method?: string; cookie?: string; json?: unknown } = {},
  ): Promise<{ status: number; body: Answer }> => {
    const headers = new Headers();
    if (init.cookie !== undefined) headers.set("cookie", init.cookie);
    if (init.json !== undefined) headers.set("content-type", "application/json");
    const response = await fetch(`${server.url}${path}`, {
      method: init.method ?? "GET",
      headers,
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  const createSite = async (json: unknown) => {
    const { status, body } = await api("/sites", { method: "POST", cookie: owner, json });
    assert.equal(status, 201, JSON.stringify(body));
    return body.site;
  };

  before(async () => {
    server = await startTestServer({
      WIDGET_TITLE: "Talk to Acme",
      RATE_LIMIT_PER_MINUTE: "25",
      UPLOAD_BYTES_PER_IP_MB: "20",
    });
    owner = await login(server.url);
    const created = await api("/agents", {
      method: "POST",
      cookie: owner,
      json: { username: "bo", password: "a long password", name: "Bo" },
    });
    agentId = created.body.agent.id;
    agent = await login(server.url, { username: "bo", password: "a long password" });
  });
  after(() => server.dispose());

  it("lists the default site: its key, ALLOWED_ORIGINS as [], and what the environment fixes", async () => {
    const { status, body } = await api("/sites", { cookie: owner });
    assert.equal(status, 200);
    const [site] = body.sites;
    assert.equal(body.sites.length, 1);
    assert.equal(site!.is_default, true);
    assert.match(site!.key, SITE_KEY_PATTERN);
    assert.deepEqual(site!.allowed_origins, []);
    assert.deepEqual(site!.fixed_by_environment, ["title"]);
    assert.equal(site!.widget.title, "Talk to Acme", "served from WIDGET_TITLE");
    assert.equal(site!.widget.greeting, "Hi! How can we help?");
    assert.equal(site!.agent_ids, null);
    assert.deepEqual((await api(`/sites/${site!.id}`, { cookie: owner })).body, { site });
  });

  it("creates a site from a name alone, with a new key and the default settings", async () => {
    const site = await createSite({ name: "  Docs  " });
    assert.equal(site.name, "Docs");
    assert.equal(site.is_default, false);
    assert.match(site.key, SITE_KEY_PATTERN);
    const sites = (await api("/sites", { cookie: owner })).body.sites;
    assert.equal(new Set(sites.map((each) => each.key)).size, sites.length, "keys differ");
    assert.deepEqual(site.allowed_origins, []);
    assert.deepEqual(site.widget, {
      title: "Chat with us",
      greeting: "Hi! How can we help?",
      color: "#2563eb",
      position: "right",
      launcher_label: null,
      locale: null,
      away_message: "We're away. Leave a message and we'll reply here.",
      prechat: { name: "off", email: "off" },
      ask_rating: true,
      privacy_url: null,
    });
    assert.deepEqual(site.fixed_by_environment, [], "the environment fixes the default site only");
    assert.equal(site.business_hours, null);
    assert.equal(site.archived_at, null);
  });

  it("normalises origins, colours, locales and hours", async () => {
    const site = await createSite({
      name: "Shop",
      allowed_origins: ["HTTPS://Shop.Example:443/", "https://shop.example", "http://localhost:8080"],
      widget: { title: "Shop", color: "#ABCDEF", locale: "pt-br", launcher_label: "  " },
      business_hours: {
        time_zone: "Europe/Berlin",
        weekly: {
          mon: [
            { open: "13:00", close: "17:00" },
            { open: "09:00", close: "12:00" },
          ],
          sun: [],
        },
        closed_days: ["2025-12-26", "2025-12-25", "2025-12-26"],
      },
      agent_ids: [agentId, agentId],
    });
    assert.deepEqual(site.allowed_origins, ["https://shop.example", "http://localhost:8080"]);
    assert.equal(site.widget.color, "#abcdef");
    assert.equal(site.widget.locale, "pt-BR");
    assert.equal(site.widget.launcher_label, null);
    assert.deepEqual(site.business_hours, {
      time_zone: "Europe/Berlin",
      weekly: {
        mon: [
          { open: "09:00", close: "12:00" },
          { open: "13:00", close: "17:00" },
        ],
      },
      closed_days: ["2025-12-25", "2025-12-26"],
    });
    assert.deepEqual(site.agent_ids, [agentId]);
  });

  it("refuses bad values with a clear 400 and stores nothing", async () => {
    const before = (await api("/sites", { cookie: owner })).body.sites.length;
    const hours = (weekly: unknown, extra: Record<string, unknown> = {}) => ({
      name: "Bad",
      business_hours: { time_zone: "Europe/Berlin", weekly, closed_days: [], ...extra },
    });
    const cases: Array<[unknown, RegExp]> = [
      [{}, /name/],
      [{ name: "   " }, /Site name is empty/],
      [{ name: "Bad", allowed_origins: ["https://shop.example/path"] }, /not an origin/],
      [{ name: "Bad", allowed_origins: ["ftp://shop.example"] }, /not an origin/],
      [{ name: "Bad", allowed_origins: ["shop.example"] }, /not an origin/],
      [{ name: "Bad", widget: { color: "blue" } }, /Color/],
      [{ name: "Bad", widget: { title: "" } }, /Title is empty/],
      [{ name: "Bad", widget: { position: "top" } }, /position/],
      [{ name: "Bad", widget: { locale: "not a locale!" } }, /language tag/],
      [
        { name: "Bad", business_hours: { time_zone: "Mars/Olympus", weekly: {}, closed_days: [] } },
        /time zone/,
      ],
      [
        hours({
          mon: [
            { open: "09:00", close: "12:00" },
            { open: "11:00", close: "14:00" },
          ],
        }),
        /overlaps/,
      ],
      [hours({ tue: [{ open: "17:00", close: "09:00" }] }), /closes before it opens/],
      [hours({ wed: [{ open: "9:00", close: "12:00" }] }), /opening time/],
      [hours({ thu: [{ open: "09:00", close: "24:30" }] }), /closing time/],
      [hours({}, { closed_days: ["2025-02-30"] }), /not a date/],
      [{ name: "Bad", agent_ids: [999_999] }, /No agent with id 999999/],
      [{ name: "Bad", agent_ids: ["1"] }, /Invalid request/],
      [
        { name: "Bad", allowed_origins: Array.from({ length: 51 }, (_, i) => `https://s${i}.example`) },
        /Invalid request/,
      ],
    ];
    for (const [json, error] of cases) {
      const { status, body } = await api("/sites", { method: "POST", cookie: owner, json });
      assert.equal(status, 400, `${JSON.stringify(json)} → ${status} ${JSON.stringify(body)}`);
      assert.match(body.error, error, JSON.stringify(json));
    }
    assert.equal((await api("/sites", { cookie: owner })).body.sites.length, before);
  });

  it("stores ask_rating and an https privacy_url, normalised; blank or null clears it", async () => {
    const site = await createSite({
      name: "Legal",
      widget: { ask_rating: false, privacy_url: "  https://Shop.Example/privacy?lang=fr#data  " },
    });
    assert.equal(site.widget.ask_rating, false);
    assert.equal(site.widget.privacy_url, "https://shop.example/privacy?lang=fr#data");
    const config = await fetch(`${server.url}/widget/config?site=${site.key}`);
    assert.equal(config.status, 200);
    assert.equal(
      ((await config.json()) as { privacy_url: string | null }).privacy_url,
      "https://shop.example/privacy?lang=fr#data",
      "the widget is told",
    );
    const patched = await api(`/sites/${site.id}`, {
      method: "PATCH",
      cookie: owner,
      json: { widget: { ask_rating: true } },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.site.widget.ask_rating, true);
    assert.equal(patched.body.site.widget.privacy_url, site.widget.privacy_url, "kept when not named");
    for (const cleared of [null, "   "]) {
      await api(`/sites/${site.id}`, {
        method: "PATCH",
        cookie: owner,
        json: { widget: { privacy_url: "https://shop.example/p" } },
      });
      const { status, body } = await api(`/sites/${site.id}`, {
        method: "PATCH",
        cookie: owner,
        json: { widget: { privacy_url: cleared } },
      });
      assert.equal(status, 200);
      assert.equal(body.site.widget.privacy_url, null, JSON.stringify(cleared));
    }
  });

  it("refuses a privacy_url that is not a plain https URL, on POST and PATCH", async () => {
    const site = await createSite({
      name: "Strict",
      widget: { privacy_url: "https://strict.example/privacy" },
    });
    const long = `https://strict.example/${"p".repeat(2000)}`;
    const cases: Array<[unknown, RegExp]> = [
      ["javascript:alert(1)", /privacy_url must be an https URL/],
      ["JavaScript://strict.example/%0Aalert(1)", /privacy_url must be an https URL/],
      ["http://strict.example/privacy", /privacy_url must be an https URL/],
      ["data:text/html,hi", /privacy_url must be an https URL/],
      ["/privacy", /privacy_url must be an https URL/],
      ["strict.example/privacy", /privacy_url must be an https URL/],
      ["https://user:secret@strict.example/privacy", /must not carry a user name or password/],
      ["https://user@strict.example/privacy", /must not carry a user name or password/],
      [long, /privacy_url too long \(max 2000\)/],
      [`https://strict.example/${"p".repeat(3000)}`, /Invalid request/],
      [42, /Invalid request/],
    ];
    for (const [privacy_url, error] of cases) {
      for (const [path, method, json] of [
        ["/sites", "POST", { name: "Bad", widget: { privacy_url } }],
        [`/sites/${site.id}`, "PATCH", { widget: { privacy_url } }],
      ] as const) {
        const { status, body } = await api(path, { method, cookie: owner, json });
        assert.equal(status, 400, `${method} ${JSON.stringify(privacy_url).slice(0, 60)} → ${status}`);
        assert.match(body.error, error, `${method} ${JSON.stringify(privacy_url).slice(0, 60)}`);
      }
    }
    const refusedRating = await api(`/sites/${site.id}`, {
      method: "PATCH",
      cookie: owner,
      json: { widget: { ask_rating: "yes" } },
    });
    assert.equal(refusedRating.status, 400);
    const kept = (await api(`/sites/${site.id}`, { cookie: owner })).body.site;
    assert.equal(kept.widget.privacy_url, "https://strict.example/privacy", "nothing stored");
    assert.equal(kept.widget.ask_rating, true);
  });

  it("changes what a PATCH names, merging the widget field by field", async () => {
    const site = await createSite({ name: "Brand", widget: { title: "Brand", greeting: "Hello" } });
    const { status, body } = await api(`/sites/${site.id}`, {
      method: "PATCH",
      cookie: owner,
      json: { name: "Brand two", widget: { color: "#000" } },
    });
    assert.equal(status, 200);
    assert.equal(body.site.name, "Brand two");
    assert.deepEqual(body.site.widget, { ...site.widget, color: "#000" });
    assert.equal(body.site.key, site.key, "the key never changes");
    assert.equal((await api("/sites/999999", { method: "PATCH", cookie: owner, json: {} })).status, 404);
  });

  it("refuses with 409 a field the environment fixes, and archiving the default site", async () => {
    const defaultSite = (await api("/sites", { cookie: owner })).body.sites.find((s) => s.is_default)!;
    const fixed = await api(`/sites/${defaultSite.id}`, {
      method: "PATCH",
      cookie: owner,
      json: { widget: { title: "Mine" } },
    });
    assert.equal(fixed.status, 409);
    assert.match(fixed.body.error, /WIDGET_TITLE/);
    const greeting = await api(`/sites/${defaultSite.id}`, {
      method: "PATCH",
      cookie: owner,
      json: { widget: { greeting: "Welcome!" } },
    });
    assert.equal(greeting.status, 200);
    assert.equal(greeting.body.site.widget.greeting, "Welcome!");
    assert.equal(greeting.body.site.widget.title, "Talk to Acme");
    const archive = await api(`/sites/${defaultSite.id}`, {
      method: "PATCH",
      cookie: owner,
      json: { archived: true },
    });
    assert.equal(archive.status, 409);
    assert.match(archive.body.error, /default site cannot be archived/);
  });

  it("archives and restores a site", async () => {
    const site = await createSite({ name: "Old campaign" });
    const archived = await api(`/sites/${site.id}`, {
      method: "PATCH",
      cookie: owner,
      json: { archived: true },
    });
    assert.equal(archived.status, 200);
    assert.ok(archived.body.site.archived_at !== null);
    const again = await api(`/sites/${site.id}`, {
      method: "PATCH",
      cookie: owner,
      json: { archived: true },
    });
    assert.equal(
      again.body.site.archived_at,
      archived.body.site.archived_at,
      "archiving twice keeps the date",
    );
    assert.ok((await api("/sites", { cookie: owner })).body.sites.some((s: Site) => s.id === site.id));
    const restored = await api(`/sites/${site.id}`, {
      method: "PATCH",
      cookie: owner,
      json: { archived: false },
    });
    assert.equal(restored.body.site.archived_at, null);
  });

  it("shows an agent the sites they answer only, and lets only owners change sites", async () => {
    const everyone = await createSite({ name: "Everyone's" });
    const theirs = await createSite({ name: "Bo's", agent_ids: [agentId] });
    const others = await createSite({ name: "Not Bo's", agent_ids: [] });
    const listed = (await api("/sites", { cookie: agent })).body.sites.map((site) => site.id);
    assert.ok(listed.includes(everyone.id) && listed.includes(theirs.id));
    assert.ok(!listed.includes(others.id));
    assert.equal((await api(`/sites/${theirs.id}`, { cookie: agent })).status, 200);
    assert.equal((await api(`/sites/${others.id}`, { cookie: agent })).status, 404);
    assert.equal((await api("/sites", { method: "POST", cookie: agent, json: { name: "x" } })).status, 403);
    const patch = await api(`/sites/${theirs.id}`, { method: "PATCH", cookie: agent, json: { name: "x" } });
    assert.equal(patch.status, 403);
    assert.equal((await api("/sites")).status, 401);
    assert.equal((await api(`/sites/${everyone.id}`)).status, 401);
  });

  it("reads and changes the owner settings; the environment's stay fixed", async () => {
    const read = await api("/settings", { cookie: owner });
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, {
      settings: {
        rate_limit_per_minute: 25,
        new_conversations_per_ip_per_hour: 60,
        max_upload_mb: 10,
        assign_on_reply: true,
        auto_assign: "off",
        auto_assign_cap: 0,
        away_after_idle_minutes: 10,
        email_replies_after_minutes: 5,
        ask_email_after_minutes: 3,
        retention_days: 0,
        audit_log_days: 365,
      },
      fixed_by_environment: ["rate_limit_per_minute"],
    });
    const changed = await api("/settings", {
      method: "PATCH",
      cookie: owner,
      json: { new_conversations_per_ip_per_hour: 0, max_upload_mb: 5, ask_email_after_minutes: 0 },
    });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body.settings, {
      rate_limit_per_minute: 25,
      new_conversations_per_ip_per_hour: 0,
      max_upload_mb: 5,
      assign_on_reply: true,
      auto_assign: "off",
      auto_assign_cap: 0,
      away_after_idle_minutes: 10,
      email_replies_after_minutes: 5,
      ask_email_after_minutes: 0,
      retention_days: 0,
      audit_log_days: 365,
    });
    assert.deepEqual((await api("/settings", { cookie: owner })).body, changed.body);
    assert.deepEqual(await server.store.getOwnerSettings(), {
      new_conversations_per_ip_per_hour: 0,
      max_upload_mb: 5,
      ask_email_after_minutes: 0,
    });

    const fixed = await api("/settings", {
      method: "PATCH",
      cookie: owner,
      json: { rate_limit_per_minute: 5 },
    });
    assert.equal(fixed.status, 409);
    assert.match(fixed.body.error, /RATE_LIMIT_PER_MINUTE/);
    for (const json of [
      { max_upload_mb: 0 },
      { max_upload_mb: 2000 },
      { max_upload_mb: "5" },
      { max_upload_mb: 1.5 },
    ]) {
      assert.equal(
        (await api("/settings", { method: "PATCH", cookie: owner, json })).status,
        400,
        JSON.stringify(json),
      );
    }
    const overCap = await api("/settings", { method: "PATCH", cookie: owner, json: { max_upload_mb: 30 } });
    assert.equal(overCap.status, 400);
    assert.match(overCap.body.error, /UPLOAD_BYTES_PER_IP_MB/);
    assert.equal((await api("/settings", { cookie: agent })).status, 403);
    assert.equal((await api("/settings", { method: "PATCH", cookie: agent, json: {} })).status, 403);
    assert.equal((await api("/settings", { cookie: owner })).body.settings.max_upload_mb, 5);
  });
});
