/**
 * Two sites with their own origins (protocol §10): each widget gets its own config and socket;
 * a page of one site naming the other's key is refused over HTTP and the cable, and a visitor of
 * one site never reaches the other's conversation. Old clients (no site) keep the default site.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Conversation, Site, WidgetConfig } from "@parley/protocol";
import { openRawCable, type RawCable } from "../support/rawCable.js";
import {
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

const ORIGIN_A = "https://shop.example";
const ORIGIN_B = "https://docs.example";

describe("sites for visitors", () => {
  let server: TestServer;
  let owner: string;
  let siteA: Site;
  let siteB: Site;
  let archived: Site;
  let defaultSite: Site;

  const createSite = async (body: unknown): Promise<Site> => {
    const response = await fetch(`${server.url}/sites`, {
      method: "POST",
      headers: { cookie: owner, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 201);
    return ((await response.json()) as { site: Site }).site;
  };
  const config = (query: string, origin?: string) =>
    fetch(`${server.url}/widget/config${query}`, { headers: origin === undefined ? {} : { origin } });

  /** Subscribes and waits for the answer: "confirm_subscription" or "reject_subscription". */
  const subscribe = async (cable: RawCable, identifier: Record<string, unknown>): Promise<string> => {
    const key = cable.subscribe({ channel: "VisitorChannel", ...identifier });
    const frame = await cable.next(
      (f) => f.identifier === key && (f.type === "confirm_subscription" || f.type === "reject_subscription"),
    );
    return frame.type as string;
  };
  const sendFirstMessage = async (origin: string, site: string | undefined, token: string) => {
    const cable = await openRawCable(server.url, { origin });
    try {
      const identifier = { channel: "VisitorChannel", token, ...(site === undefined ? {} : { site }) };
      const key = cable.subscribe(identifier);
      await cable.next((f) => f.identifier === key && f.type === "confirm_subscription");
      cable.perform(key, { action: "send_message", content: "hello", client_id: "c1" });
      await cable.next((f) => (f.message as { type?: string } | undefined)?.type === "message");
    } finally {
      cable.close();
    }
  };

  before(async () => {
    server = await startTestServer();
    owner = await login(server.url);
    siteA = await createSite({ name: "Shop", allowed_origins: [ORIGIN_A], widget: { title: "Shop help" } });
    siteB = await createSite({
      name: "Docs",
      allowed_origins: [ORIGIN_B],
      widget: { title: "Docs help", away_message: "Docs team is away" },
      business_hours: { time_zone: "Asia/Tokyo", weekly: {}, closed_days: [] },
    });
    archived = await createSite({ name: "Old", allowed_origins: [ORIGIN_A] });
    await fetch(`${server.url}/sites/${archived.id}`, {
      method: "PATCH",
      headers: { cookie: owner, "content-type": "application/json" },
      body: JSON.stringify({ archived: true }),
    });
    const listed = await fetch(`${server.url}/sites`, { headers: { cookie: owner } });
    defaultSite = ((await listed.json()) as { sites: Site[] }).sites.find((site) => site.is_default)!;
  });
  after(() => server.dispose());

  it("gives each site's origin that site's config", async () => {
    const a = await config(`?site=${siteA.key}`, ORIGIN_A);
    assert.equal(a.status, 200);
    assert.equal(a.headers.get("access-control-allow-origin"), ORIGIN_A);
    const fromA = (await a.json()) as WidgetConfig;
    assert.equal(fromA.site_key, siteA.key);
    assert.equal(fromA.title, "Shop help");
    assert.equal(fromA.within_hours, true);
    assert.equal(fromA.time_zone, null);
    const fromB = (await (await config(`?site=${siteB.key}`, ORIGIN_B)).json()) as WidgetConfig;
    assert.equal(fromB.site_key, siteB.key);
    assert.equal(fromB.title, "Docs help");
    assert.equal(fromB.away_message, "Docs team is away");
    assert.equal(fromB.time_zone, "Asia/Tokyo");
    assert.equal(fromB.within_hours, false, "a schedule without an open day is always closed");
  });

  it("keeps the default site for a config request without a site, from ALLOWED_ORIGINS", async () => {
    const response = await config("", WIDGET_ORIGIN);
    assert.equal(response.status, 200);
    const body = (await response.json()) as WidgetConfig;
    assert.equal(body.site_key, defaultSite.key);
    assert.equal(body.title, "Chat with us");
    assert.equal(body.agents_online, false);
    assert.equal((await config("", ORIGIN_A)).status, 403, "a site's origin is not the default site's");
  });

  it("refuses another site's key (403), an unknown or archived key (404) and a malformed one (400)", async () => {
    const crossed = await config(`?site=${siteB.key}`, ORIGIN_A);
    assert.equal(crossed.status, 403);
    assert.match(((await crossed.json()) as { error: string }).error, /does not run on this origin/);
    assert.equal((await config(`?site=${siteA.key}`, WIDGET_ORIGIN)).status, 403);
    const unknown = await config("?site=no-such-site-key", ORIGIN_A);
    assert.equal(unknown.status, 404);
    assert.match(((await unknown.json()) as { error: string }).error, /No such site/);
    assert.equal((await config(`?site=${archived.key}`, ORIGIN_A)).status, 404);
    assert.equal((await config("?site=bad!", ORIGIN_A)).status, 400);
    assert.equal((await config(`?site=${siteB.key}`)).status, 200, "no Origin: not a page's script");
  });

  it("refuses a subscription naming another site's key, an unknown or archived one", async () => {
    const cable = await openRawCable(server.url, { origin: ORIGIN_A });
    try {
      assert.equal(
        await subscribe(cable, { token: visitorToken(), site: siteA.key }),
        "confirm_subscription",
      );
      assert.equal(await subscribe(cable, { token: visitorToken(), site: siteB.key }), "reject_subscription");
      assert.equal(await subscribe(cable, { token: visitorToken() }), "reject_subscription");
      assert.equal(
        await subscribe(cable, { token: visitorToken(), site: archived.key }),
        "reject_subscription",
      );
      assert.equal(
        await subscribe(cable, { token: visitorToken(), site: "no-such-site-key" }),
        "reject_subscription",
      );
      assert.equal(await subscribe(cable, { token: visitorToken(), site: 42 }), "reject_subscription");
    } finally {
      cable.close();
    }
    const old = await openRawCable(server.url, { origin: WIDGET_ORIGIN });
    try {
      assert.equal(await subscribe(old, { token: visitorToken() }), "confirm_subscription", "old clients");
      assert.equal(await subscribe(old, { token: visitorToken(), site: siteA.key }), "reject_subscription");
    } finally {
      old.close();
    }
  });

  it("starts a conversation on the site it was written from, and keeps its visitor there", async () => {
    const tokenA = visitorToken();
    await sendFirstMessage(ORIGIN_A, siteA.key, tokenA);
    const tokenOld = visitorToken();
    await sendFirstMessage(WIDGET_ORIGIN, undefined, tokenOld);
    assert.equal((await server.store.findConversationByToken(tokenA))?.siteId, siteA.id);
    assert.equal((await server.store.findConversationByToken(tokenOld))?.siteId, defaultSite.id);

    const list = await fetch(`${server.url}/conversations`, { headers: { cookie: owner } });
    const { conversations } = (await list.json()) as { conversations: Conversation[] };
    assert.equal(conversations.find((c) => c.session_token === tokenA)?.site_id, siteA.id);
    assert.equal(conversations.find((c) => c.session_token === tokenOld)?.site_id, defaultSite.id);

    // Site A's visitor, on site B's page with site B's key: refused, their conversation unseen.
    const onB = await openRawCable(server.url, { origin: ORIGIN_B });
    try {
      assert.equal(await subscribe(onB, { token: tokenA, site: siteB.key }), "reject_subscription");
      assert.ok(
        !onB.frames.some((frame) => (frame.message as { type?: string } | undefined)?.type === "history"),
      );
    } finally {
      onB.close();
    }
    // The seed's way, the token on the URL: the same.
    const seedWay = await openRawCable(server.url, { origin: ORIGIN_B, query: `?token=${tokenA}` });
    try {
      assert.equal(await subscribe(seedWay, { site: siteB.key }), "reject_subscription");
    } finally {
      seedWay.close();
    }
  });

  it("checks the named site's origins on a visitor's upload", async () => {
    const upload = (site: string, origin: string) =>
      fetch(`${server.url}/uploads?site=${site}`, {
        method: "POST",
        headers: { origin, "x-visitor-token": visitorToken(), "content-type": "text/plain" },
        body: "not multipart",
      });
    const crossed = await upload(siteB.key, ORIGIN_A);
    assert.equal(crossed.status, 403);
    const own = await upload(siteA.key, ORIGIN_A);
    assert.equal(own.status, 400, "past the origin check: the body is what is wrong");
    assert.equal((await upload("no-such-site-key", ORIGIN_A)).status, 404);
  });
});
