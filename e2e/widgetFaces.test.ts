/**
 * Who answers and when (protocol §14), on a third-party site: the panel's header shows the team's
 * faces (a photo uploaded through `PUT /agents/me/avatar`, loaded cross-origin; an initial for an
 * agent without one) and names, and the site's typical reply time in the visitor's language; a
 * first message is acknowledged once, as a status line, until an agent replies with their face
 * beside the reply. axe finds nothing of moderate impact or more in the header or the
 * conversation, light and dark, on a desktop and on a phone.
 */
import AxeBuilder from "@axe-core/playwright";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import sharp from "sharp";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn, type WidgetHandle } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const SERIOUS = new Set(["moderate", "serious", "critical"]);
const ANNA = "Anna Lindqvist";
const BEN = "Ben Okafor";
const THANKS = "Thanks, we got your message.";

let parley: Parley;
let site: ThirdPartySite;
let agent: Agent;
let browser: Browser;
let phone: Browser;

/** A conversation on the default site answered `afterS` seconds after its visitor wrote. */
async function answered(ownerId: number, afterS: number): Promise<void> {
  const { store } = parley.server;
  const visitorAt = Date.now() - 60 * 60 * 1000;
  const { conversation } = await store.appendFirstMessage({
    conversation: {
      token: randomBytes(16).toString("base64url"),
      visitorName: null,
      createdIp: null,
      siteId: (await store.getDefaultSite()).id,
    },
    sender: "visitor",
    content: "Do you ship to Oslo?",
    clientId: null,
    agentId: null,
    agentName: null,
    at: new Date(visitorAt).toISOString(),
  });
  await store.appendMessage({
    conversationId: conversation.id,
    sender: "admin",
    content: "We do",
    clientId: null,
    agentId: ownerId,
    agentName: ANNA,
    at: new Date(visitorAt + afterS * 1000).toISOString(),
  });
}

before(async () => {
  if (skip) return;
  site = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [site.origin] });
  site.setPage("/", embedPage(parley.url));
  site.setPage("/fr", embedPage(parley.url, { attributes: 'data-locale="fr"' }));
  site.setPage("/ja", embedPage(parley.url, { attributes: 'data-locale="ja"' }));

  // The owner's display name and photo, as the inbox sets them.
  const cookie = await login(parley.url);
  const named = await fetch(`${parley.url}/agents/me`, {
    method: "PATCH",
    headers: { cookie, "content-type": "application/json" },
    body: JSON.stringify({ name: ANNA }),
  });
  assert.equal(named.status, 200, await named.text());
  const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#c0392b" } })
    .png()
    .toBuffer();
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(png)], { type: "image/png" }), "me.png");
  const uploaded = await fetch(`${parley.url}/agents/me/avatar`, {
    method: "PUT",
    headers: { cookie },
    body: form,
  });
  const body = await uploaded.text();
  assert.equal(uploaded.status, 200, body);
  const { agent: owner } = JSON.parse(body) as { agent: { id: number; avatar_url: string } };
  assert.match(owner.avatar_url, /^\/avatars\//);
  // A second agent without a photo: their initial.
  await parley.server.chat.team.add({ username: "ben", password: "ben's long password", name: BEN });

  // Three conversations answered in 1, 2 and 4 minutes: typically a few minutes.
  for (const seconds of [60, 120, 240]) await answered(owner.id, seconds);
  await parley.server.chat.replyTimes.refresh((await parley.server.store.getDefaultSite()).id);

  agent = await connectAgent(parley.url);
  browser = await launchChromium();
  phone = await launchChromium({ viewport: { width: 390, height: 844 }, phone: true });
});

after(async () => {
  agent?.close();
  await browser?.close();
  await phone?.close();
  await parley?.close();
  await site?.close();
});

/** A new visitor (the site's storage cleared) with the panel open. */
async function openWidget(on: Browser, path = "/"): Promise<{ page: Page; widget: WidgetHandle }> {
  const page = await on.context.newPage();
  await page.goto(`${site.origin}${path}`);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  const widget = widgetIn(page);
  await widget.launcher.click();
  await widget.panel.waitFor();
  return { page, widget };
}

/** Whether every image under `selector` is loaded and drawn (a blocked one has no natural width). */
async function imagesDrawn(widget: WidgetHandle, selector: string): Promise<boolean> {
  const images = widget.host.locator(selector);
  const count = await images.count();
  if (count === 0) return false;
  for (let i = 0; i < count; i++) {
    const drawn = await images
      .nth(i)
      .evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0);
    if (!drawn) return false;
  }
  return true;
}

/** The header's names, without the faces' initials. */
async function names(widget: WidgetHandle): Promise<string> {
  const team = widget.host.locator(".h .tm");
  await team.waitFor();
  return team.evaluate((element) => element.lastChild?.textContent ?? "");
}

async function violations(page: Page): Promise<string[]> {
  await page.evaluate(async () => {
    const shadow = document.querySelector("parley-widget")?.shadowRoot;
    await Promise.all((shadow?.getAnimations() ?? []).map((animation) => animation.finished));
  });
  const results = await new AxeBuilder({ page }).include("parley-widget").analyze();
  return results.violations
    .filter((violation) => SERIOUS.has(violation.impact ?? ""))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => JSON.stringify(node.target)).join(", ")}`,
    );
}

test("the header shows the team's faces and names, and the typical reply time", { skip }, async () => {
  const { page, widget } = await openWidget(browser);
  assert.equal(await names(widget), `${ANNA} and ${BEN}`);
  // Anna's photo, from the Parley server on another origin than the page's (CORP cross-origin).
  await waitFor("Anna's photo drawn", () => imagesDrawn(widget, ".h .tm img.av"));
  const photo = widget.host.locator(".h .tm img.av");
  assert.equal(await photo.count(), 1);
  for (const [name, value] of [
    ["alt", ""],
    ["loading", "lazy"],
    ["width", "28"],
    ["height", "28"],
    ["referrerpolicy", "no-referrer"],
  ] as const)
    assert.equal(await photo.getAttribute(name), value, name);
  assert.ok((await photo.getAttribute("src"))?.startsWith(`${parley.url}/avatars/`));
  // Ben has no photo: his initial, hidden from screen readers (his name is in the text).
  const initial = widget.host.locator(".h .tm span.av");
  assert.equal(await initial.textContent(), "B");
  assert.equal(await initial.getAttribute("aria-hidden"), "true");
  const line = widget.host.locator(".h .bk");
  await waitFor("the reply time", async () => (await line.isVisible()) && (await line.textContent()));
  assert.equal(await line.textContent(), "Typically replies in a few minutes");
  assert.equal(await widget.host.locator(".h .s").textContent(), "We're online");
  await page.close();
});

test(
  "French and Japanese visitors read the team and the reply time in their language",
  { skip },
  async () => {
    for (const [path, team, replies] of [
      ["/fr", `${ANNA} et ${BEN}`, "Réponse généralement en quelques minutes"],
      ["/ja", `${ANNA}、${BEN}`, "通常数分以内に返信します"],
    ] as const) {
      const { page, widget } = await openWidget(browser, path);
      assert.equal(await names(widget), team, path);
      const line = widget.host.locator(".h .bk");
      await waitFor(`the reply time on ${path}`, async () => (await line.textContent()) === replies);
      const header = (await widget.host.locator(".h").innerText()).replaceAll(ANNA, "").replaceAll(BEN, "");
      assert.doesNotMatch(header, /Typically|replies|few|hour|online|Chat with us|\band\b/i, path);
      await page.close();
    }
  },
);

test("a first message is acknowledged once, until the agent replies with their face", { skip }, async () => {
  const { page, widget } = await openWidget(browser);
  const ack = widget.host.locator("[role=status].ak");
  assert.equal(await ack.textContent(), "", "nothing to acknowledge before a message");
  await widget.send("Is the blue one in stock?");
  const sent = await agent.next("new_message", (e) => e.message.content === "Is the blue one in stock?");
  const expected = `${THANKS} Typically replies in a few minutes.`;
  await waitFor("the acknowledgement", async () => (await ack.textContent()) === expected);
  // A second message is no second acknowledgement.
  await widget.send("The large size");
  await agent.next("new_message", (e) => e.message.content === "The large size");
  await widget.host.locator("li.v .t time", { hasText: "now" }).nth(1).waitFor();
  assert.equal(await widget.host.getByText(THANKS).count(), 1);
  assert.equal(await widget.bubbles.count(), 2, "the acknowledgement is no message bubble");

  // From the conversation's history: a reload shows it the same.
  await page.reload();
  await widget.launcher.click();
  await widget.bubbles.filter({ hasText: "The large size" }).waitFor();
  await waitFor("the acknowledgement after a reload", async () => (await ack.textContent()) === expected);
  assert.equal(await widget.host.getByText(THANKS).count(), 1);

  agent.perform({ action: "send_message", conversation_id: sent.conversation_id, content: "It is!" });
  await widget.bubbles.filter({ hasText: "It is!" }).waitFor();
  await waitFor("the acknowledgement gone", async () => (await ack.textContent()) === "");
  const who = widget.host.locator("li.a .who").last();
  assert.equal(await who.innerText(), ANNA);
  await waitFor("Anna's face beside her reply", () => imagesDrawn(widget, "li.a .who img.av"));
  assert.equal(await who.locator("img").getAttribute("alt"), "");
  await page.close();
});

for (const device of ["desktop", "phone"] as const) {
  test(
    `axe finds nothing in the header and the conversation on a ${device}, light and dark`,
    { skip },
    async () => {
      for (const colorScheme of ["light", "dark"] as const) {
        const { page, widget } = await openWidget(device === "phone" ? phone : browser);
        await page.emulateMedia({ colorScheme });
        await waitFor("the faces", () => imagesDrawn(widget, ".h .tm img.av"));
        assert.deepEqual(await violations(page), [], `${device}, ${colorScheme}, the header`);

        const hello = `Faces on a ${device} in ${colorScheme}`;
        await widget.send(hello);
        const sent = await agent.next("new_message", (e) => e.message.content === hello);
        await widget.host.getByText(THANKS).waitFor();
        assert.deepEqual(await violations(page), [], `${device}, ${colorScheme}, acknowledged`);

        agent.perform({ action: "send_message", conversation_id: sent.conversation_id, content: "Hello!" });
        await widget.bubbles.filter({ hasText: "Hello!" }).waitFor();
        await waitFor("the face beside the reply", () => imagesDrawn(widget, "li.a .who img.av"));
        assert.deepEqual(await violations(page), [], `${device}, ${colorScheme}, answered`);
        await page.close();
      }
    },
  );
}

// Last: it takes the team away.
test(
  "while the team is away the header and the acknowledgement keep to the away message",
  { skip },
  async () => {
    agent.close();
    const away = "We're away. Leave a message and we'll reply here.";
    const { page, widget } = await openWidget(browser);
    await waitFor(
      "the away message",
      async () => (await widget.host.locator(".h .s").textContent()) === away,
    );
    assert.equal(await names(widget), `${ANNA} and ${BEN}`, "the team is still shown");
    assert.equal(await widget.host.locator(".h .bk").isVisible(), false, "no reply-time promise");
    await widget.send("Anyone there?");
    const ack = widget.host.locator("[role=status].ak");
    await waitFor("the acknowledgement", async () => (await ack.textContent()) === `${THANKS} ${away}`);
    await page.close();
  },
);
