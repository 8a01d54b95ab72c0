/**
 * The visitor's context (protocol §12) on a real server: the widget's `page` action with what the
 * cable's upgrade request says (user agent, Accept-Language, address), URLs kept without their
 * query string unless the site keeps them, UTM tags and the referrer, `visitor_page` for the
 * site's agents only, and the address for owners only. On SQLite, and on Postgres when
 * TEST_DATABASE_URL is set.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Consumer } from "@rails/actioncable";
import { PAGE_HISTORY_LIMIT, type ConversationContextResponse, type PageView } from "@parley/protocol";
import { PAGES_PER_ADDRESS_PER_MINUTE, PAGES_PER_MINUTE } from "../../src/chat/limitRules.js";
import { createConsumer, RecordingSubscription } from "../support/cable.js";
import { POSTGRES_SKIP, postgresSchema } from "../support/postgres.js";
import {
  login,
  startTestServer,
  visitorToken,
  WIDGET_ORIGIN,
  type TestServer,
} from "../support/testServer.js";

const postgres = process.env.TEST_DATABASE_URL ? await postgresSchema() : undefined;

const FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_ON_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";
const DOCS_ORIGIN = "http://docs.example";

for (const engine of ["SQLite", "Postgres"] as const)
  describe(`the visitor's context (${engine})`, () => {
    if (engine === "Postgres" && postgres === undefined) {
      it("runs on Postgres", { skip: POSTGRES_SKIP }, () => {});
      return;
    }
    let server: TestServer;
    const consumers: Consumer[] = [];
    const cookies = { owner: "", ann: "", bob: "" };
    let docs: { id: number; key: string };
    let annInbox: RecordingSubscription;
    let bobInbox: RecordingSubscription;

    const inbox = async (cookie: string) => {
      const consumer = createConsumer(server.url, { cookie });
      consumers.push(consumer);
      const subscription = new RecordingSubscription(consumer, { channel: "AdminChannel" });
      await subscription.next((m) => m.type === "conversations");
      return subscription;
    };
    /** A widget on `origin` for `site`, in a browser that says `userAgent` and `language`. */
    const visitor = async (options: {
      site?: string;
      origin?: string;
      userAgent?: string;
      language?: string;
    }) => {
      const consumer = createConsumer(server.url, {
        origin: options.origin ?? WIDGET_ORIGIN,
        headers: {
          ...(options.userAgent === undefined ? {} : { "user-agent": options.userAgent }),
          ...(options.language === undefined ? {} : { "accept-language": options.language }),
        },
      });
      consumers.push(consumer);
      const token = visitorToken();
      const subscription = new RecordingSubscription(consumer, {
        channel: "VisitorChannel",
        token,
        ...(options.site === undefined ? {} : { site: options.site }),
      });
      await subscription.until(() => subscription.confirmed);
      return { token, subscription };
    };
    /** Frames are handled in order: once this message is back, every page before it is stored. */
    let said = 0;
    const say = async (subscription: RecordingSubscription) => {
      const content = `message ${++said}`;
      subscription.perform("send_message", { content });
      const echo = await subscription.next(
        (m) => m.type === "message" && (m.message as { content: string }).content === content,
      );
      return echo;
    };
    const contextOf = async (who: keyof typeof cookies, conversationId: number) => {
      const response = await fetch(`${server.url}/conversations/${conversationId}/context`, {
        headers: { cookie: cookies[who] },
      });
      return { status: response.status, body: (await response.json()) as ConversationContextResponse };
    };
    const conversationOf = async (token: string) => (await server.store.findConversationByToken(token))!.id;

    before(async () => {
      server = await startTestServer(engine === "Postgres" ? { DATABASE_URL: postgres!.url } : {});
      const annId = (await server.chat.team.add({ username: "ann", password: "ann-password", name: "Ann" }))
        .id;
      const bobId = (await server.chat.team.add({ username: "bob", password: "bob-password", name: "Bob" }))
        .id;
      const defaultSite = await server.store.getDefaultSite();
      const at = new Date().toISOString();
      await server.store.updateSite(defaultSite.id, { agentIds: [annId], at });
      const docsSite = await server.store.createSite({
        key: "docs-site-key-000000001",
        name: "Docs",
        allowedOrigins: [DOCS_ORIGIN],
        widget: defaultSite.widget,
        businessHours: null,
        agentIds: [bobId],
        keepQueryStrings: true,
        at,
      });
      await server.chat.sites.load();
      docs = { id: docsSite.id, key: docsSite.key };
      cookies.owner = await login(server.url);
      cookies.ann = await login(server.url, { username: "ann", password: "ann-password" });
      cookies.bob = await login(server.url, { username: "bob", password: "bob-password" });
      annInbox = await inbox(cookies.ann);
      bobInbox = await inbox(cookies.bob);
    });
    after(async () => {
      for (const consumer of consumers) consumer.disconnect();
      await server.dispose();
      if (engine === "Postgres") await postgres?.drop();
    });

    it("keeps pages without query or fragment, reads UTM tags and the referrer, parses the user agent", async () => {
      const { token, subscription } = await visitor({
        userAgent: FIREFOX_ON_LINUX,
        language: "de-DE,de;q=0.9,en;q=0.5",
      });
      subscription.perform("page", {
        url: "https://shop.example/pricing?utm_source=newsletter&utm_campaign=spring&coupon=SECRET#plans",
        title: "  Pricing\n— Shop ",
        referrer: "https://www.search.example/results?q=private+words",
        time_zone: "Europe/Berlin",
      });
      await say(subscription);
      subscription.perform("page", { url: "https://shop.example/checkout?step=2", title: "Checkout" });
      await say(subscription);

      const { status, body } = await contextOf("owner", await conversationOf(token));
      assert.equal(status, 200);
      const { context } = body;
      assert.deepEqual(
        context.pages.map((page: PageView) => [page.url, page.title]),
        [
          ["https://shop.example/pricing", "Pricing — Shop"],
          ["https://shop.example/checkout", "Checkout"],
        ],
      );
      assert.equal(context.first_page?.url, "https://shop.example/pricing");
      assert.equal(context.current_page?.url, "https://shop.example/checkout");
      assert.deepEqual(context.utm, { utm_source: "newsletter", utm_campaign: "spring" });
      assert.equal(
        context.referrer,
        "https://www.search.example/results",
        "the referrer loses its query too",
      );
      assert.equal(context.browser, "Firefox 128");
      assert.equal(context.os, "Linux");
      assert.equal(context.device, "desktop");
      assert.equal(context.user_agent, FIREFOX_ON_LINUX);
      assert.equal(context.language, "de-DE");
      assert.equal(context.time_zone, "Europe/Berlin");
      assert.match(String(context.ip_address), /127\.0\.0\.1/, "owners see the address");
      assert.ok(context.first_seen_at !== null && context.last_seen_at !== null);
      assert.equal(body.contact, null);
      assert.deepEqual(body.past_conversations, []);
    });

    it("keeps query strings on a site that keeps them; a phone is a mobile", async () => {
      const { token, subscription } = await visitor({
        site: docs.key,
        origin: DOCS_ORIGIN,
        userAgent: SAFARI_ON_IPHONE,
      });
      subscription.perform("page", { url: "https://docs.example/search?q=install&utm_medium=cpc#top" });
      await say(subscription);
      const { body } = await contextOf("owner", await conversationOf(token));
      assert.equal(body.context.current_page?.url, "https://docs.example/search?q=install&utm_medium=cpc");
      assert.deepEqual(body.context.utm, { utm_medium: "cpc" });
      assert.equal(body.context.browser, "Mobile Safari 17");
      assert.equal(body.context.os, "iOS 17.5");
      assert.equal(body.context.device, "mobile");
      assert.equal(body.context.language, null, "no Accept-Language: none");
    });

    it("tells the site's agents `visitor_page`, and no agent of another site", async () => {
      const shopper = await visitor({});
      await say(shopper.subscription);
      const conversationId = await conversationOf(shopper.token);
      const reader = await visitor({ site: docs.key, origin: DOCS_ORIGIN });
      await say(reader.subscription);

      shopper.subscription.perform("page", { url: "https://shop.example/cart?id=1", title: "Cart" });
      const heard = await annInbox.next(
        (m) => m.type === "visitor_page" && m.conversation_id === conversationId,
      );
      const page = heard.page as PageView;
      assert.equal(page.url, "https://shop.example/cart");
      assert.equal(page.title, "Cart");
      assert.ok(!Number.isNaN(Date.parse(page.at)));
      // Bob hears the docs visitor's next message; the shop's page view never came before it.
      const content = await say(reader.subscription);
      await bobInbox.next(
        (m) =>
          m.type === "new_message" &&
          (m.message as { id: number }).id === (content.message as { id: number }).id,
      );
      assert.deepEqual(
        bobInbox.ofType("visitor_page").filter((m) => m.conversation_id === conversationId),
        [],
        "another site's agent hears nothing",
      );
    });

    it("gives agents the context without the address, and other sites' agents a 404", async () => {
      const { token, subscription } = await visitor({ userAgent: FIREFOX_ON_LINUX });
      subscription.perform("page", { url: "https://shop.example/" });
      await say(subscription);
      const id = await conversationOf(token);
      const forAnn = await contextOf("ann", id);
      assert.equal(forAnn.status, 200);
      assert.equal(forAnn.body.context.current_page?.url, "https://shop.example/");
      assert.ok(!("ip_address" in forAnn.body.context), "agents never see the address");
      assert.equal((await contextOf("bob", id)).status, 404);
    });

    it("refuses a page that is not an http URL, and keeps the newest 50 pages", async () => {
      const { token, subscription } = await visitor({});
      subscription.perform("page", { url: "javascript:alert(1)", client_id: "bad-page" });
      const error = await subscription.next((m) => m.type === "error");
      assert.equal(error.error, "url must be an http or https URL");
      for (let n = 1; n <= 55; n++) subscription.perform("page", { url: `https://shop.example/p/${n}` });
      await say(subscription);
      const { body } = await contextOf("owner", await conversationOf(token));
      assert.equal(body.context.pages.length, 50);
      assert.equal(body.context.pages[0]!.url, "https://shop.example/p/6");
      assert.equal(body.context.pages[49]!.url, "https://shop.example/p/55");
      assert.equal(body.context.first_page?.url, "https://shop.example/p/1", "the first page is kept apart");
    });

    it("never sends the context to a widget", async () => {
      const { subscription } = await visitor({});
      subscription.perform("page", { url: "https://shop.example/secret-plans" });
      await say(subscription);
      const frames = JSON.stringify(subscription.received);
      assert.ok(!frames.includes("127.0.0.1") && !frames.includes("secret-plans"));
    });
  });

describe("the visitor's address behind a proxy (TRUST_PROXY)", () => {
  let server: TestServer;
  let consumer: Consumer | undefined;
  before(async () => {
    server = await startTestServer({ TRUST_PROXY: "1" });
  });
  after(async () => {
    consumer?.disconnect();
    await server.dispose();
  });

  it("is the address the trusted proxy saw, as for every limit", async () => {
    consumer = createConsumer(server.url, {
      origin: WIDGET_ORIGIN,
      headers: { "x-forwarded-for": "198.51.100.23, 203.0.113.9" },
    });
    const token = visitorToken();
    const subscription = new RecordingSubscription(consumer, { channel: "VisitorChannel", token });
    await subscription.until(() => subscription.confirmed);
    subscription.perform("page", { url: "https://shop.example/" });
    subscription.perform("send_message", { content: "behind a proxy" });
    await subscription.next((m) => m.type === "message");
    const conversation = await server.store.findConversationByToken(token);
    const owner = await login(server.url);
    const response = await fetch(`${server.url}/conversations/${conversation!.id}/context`, {
      headers: { cookie: owner },
    });
    const { context } = (await response.json()) as ConversationContextResponse;
    assert.equal(
      context.ip_address,
      "203.0.113.9",
      "the rightmost hop the proxy wrote, not what the client chose",
    );
  });
});

describe("page views a stranger can send", () => {
  let server: TestServer;
  const consumers: Consumer[] = [];
  before(async () => {
    // A server of its own: the address's minute starts with this test's first page.
    server = await startTestServer();
  });
  after(async () => {
    for (const consumer of consumers) consumer.disconnect();
    await server.dispose();
  });

  const visitor = async () => {
    const consumer = createConsumer(server.url, { origin: WIDGET_ORIGIN });
    consumers.push(consumer);
    const token = visitorToken();
    const subscription = new RecordingSubscription(consumer, { channel: "VisitorChannel", token });
    await subscription.until(() => subscription.confirmed);
    return { token, subscription, consumer };
  };
  /** Frames are handled in order: once this message is back, every page before it is handled. */
  const settle = async (subscription: RecordingSubscription, content: string) => {
    subscription.perform("send_message", { content });
    await subscription.next(
      (m) => m.type === "message" && (m.message as { content: string }).content === content,
    );
  };
  const pagesOf = async (token: string) => {
    const conversation = await server.store.findConversationByToken(token);
    const answer = await server.chat.contacts.context(conversation!, { withAddress: false });
    return answer.context.pages.length;
  };

  it("stops storing past a token's minute, and past its address's whatever the tokens", async () => {
    const tokens: string[] = [];
    for (let n = 0; n * PAGES_PER_MINUTE < PAGES_PER_ADDRESS_PER_MINUTE; n++) {
      const { token, subscription, consumer } = await visitor();
      // The whole minute and one more: the extra one is not kept.
      for (let page = 0; page <= PAGES_PER_MINUTE; page++) {
        subscription.perform("page", { url: `https://shop.example/t${n}/p${page}` });
      }
      await settle(subscription, `from token ${n}`);
      tokens.push(token);
      consumer.disconnect();
    }
    assert.equal(await pagesOf(tokens[0]!), Math.min(PAGES_PER_MINUTE, PAGE_HISTORY_LIMIT));
    // The address has used its minute: a token it invents now is not kept either.
    const fresh = await visitor();
    fresh.subscription.perform("page", { url: "https://shop.example/one-more" });
    await settle(fresh.subscription, "from a fresh token");
    assert.equal(await pagesOf(fresh.token), 0);
  });
});
