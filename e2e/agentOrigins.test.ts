/**
 * In a real browser where an agent is logged in: a site that only embeds the widget
 * (ALLOWED_ORIGINS) cannot act as that agent, while a site listed in AGENT_ORIGINS (the old
 * server's admin page on the website's origin) works cross-origin with the agent's cookie.
 * Both sites share the server's host, so the browser does send the cookie to it from each.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";

const skip = skipWithoutChromium();

let parley: Parley;
let widgetSite: ThirdPartySite;
let adminSite: ThirdPartySite;
let browser: Browser;

before(async () => {
  if (skip) return;
  widgetSite = await startThirdPartySite({ "/": "<h1>A shop</h1>" });
  adminSite = await startThirdPartySite({ "/admin": "<h1>The old admin page</h1>" });
  parley = await startParley({ allowedOrigins: [widgetSite.origin], agentOrigins: [adminSite.origin] });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await parley?.close();
  await widgetSite?.close();
  await adminSite?.close();
});

/**
 * What a script on a page gets when it acts as the agent: each step's status, or "blocked" when
 * the browser refuses it. Plain JavaScript in a string, so it runs in the page as written.
 */
const ACT_AS_AGENT = `async ({ server, credentials, conversationId }) => {
  async function status(path, init) {
    try {
      return (await fetch(server + path, { ...init, credentials: "include" })).status;
    } catch {
      return "blocked";
    }
  }
  const json = { "content-type": "application/json" };
  const loggedIn = await status("/auth/login", { method: "POST", headers: json, body: JSON.stringify(credentials) });
  const list = await status("/conversations", {});
  const deleted = await status("/conversations/" + conversationId, { method: "DELETE" });
  const adminChannel = await new Promise((resolve) => {
    const socket = new WebSocket(server.replace(/^http/, "ws") + "/cable", ["actioncable-v1-json"]);
    socket.onmessage = (event) => {
      const frame = JSON.parse(String(event.data));
      if (frame.type === "welcome") {
        socket.send(JSON.stringify({ command: "subscribe", identifier: JSON.stringify({ channel: "AdminChannel" }) }));
      }
      if (frame.type === "confirm_subscription" || frame.type === "reject_subscription") {
        socket.close();
        resolve(frame.type);
      }
    };
    socket.onerror = () => resolve("refused");
  });
  return { loggedIn, list, deleted, adminChannel };
}`;

type Outcome = number | "blocked";
interface Outcomes {
  loggedIn: Outcome;
  list: Outcome;
  deleted: Outcome;
  adminChannel: string;
}

function actAsAgent(page: Page, conversationId: number): Promise<Outcomes> {
  const args = JSON.stringify({ server: parley.url, credentials: OWNER, conversationId });
  return page.evaluate<Outcomes>(`(${ACT_AS_AGENT})(${args})`);
}

async function newConversation(): Promise<number> {
  const { conversation } = await parley.server.store.createConversation({
    token: `visitor-${crypto.randomUUID()}`,
    visitorName: "Grace",
    createdIp: null,
    siteId: (await parley.server.store.getDefaultSite()).id,
    at: new Date().toISOString(),
  });
  return conversation.id;
}

test(
  "the old admin page on an AGENT_ORIGINS site logs in and works cross-origin with the cookie",
  { skip },
  async () => {
    const page = await browser.context.newPage();
    await page.goto(`${adminSite.origin}/admin`);
    const id = await newConversation();
    const outcome = await actAsAgent(page, id);
    assert.deepEqual(outcome, {
      loggedIn: 200,
      list: 200,
      deleted: 200,
      adminChannel: "confirm_subscription",
    });
    assert.equal(await parley.server.store.getConversation(id), undefined);
    await page.close();
  },
);

test("a page that only embeds the widget cannot act as the logged-in agent", { skip }, async () => {
  // The agent logs in where the inbox lives: the server's own origin.
  const inbox = await browser.context.newPage();
  await inbox.goto(`${parley.url}/admin/login`);
  const own = await actAsAgent(inbox, await newConversation());
  assert.deepEqual(own, { loggedIn: 200, list: 200, deleted: 200, adminChannel: "confirm_subscription" });
  await inbox.close();
  const cookies = await browser.context.cookies(parley.url);
  assert.ok(
    cookies.some((cookie) => cookie.name === "parley_session"),
    "the agent is logged in in this browser",
  );

  const page = await browser.context.newPage();
  await page.goto(`${widgetSite.origin}/`);
  const id = await newConversation();
  const outcome = await actAsAgent(page, id);
  assert.deepEqual(outcome, {
    loggedIn: "blocked",
    list: "blocked",
    deleted: "blocked",
    adminChannel: "reject_subscription",
  });
  assert.ok(await parley.server.store.getConversation(id), "the conversation is still there");
  await page.close();
});
