/**
 * Verified identity (§12) from the widget's side, in Chromium against a real server, on a site
 * embedded cross-origin. Two browsers (two profiles: a laptop and a phone) identified as one user
 * of the site with a valid hash share one conversation, live and in the history. A hash that does
 * not match, tampered or made for another id, is refused: the page's console says why once, and
 * the browser keeps its own token and conversation. On a site that requires verification, an id
 * without a hash is refused the same way.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { Contact, ContactDetailResponse, Site } from "@parley/protocol";
import { connectAgent, login, type Agent } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import {
  asAgent,
  consoleErrors,
  contextOf,
  createSite,
  identityHash,
  identitySecret,
  storedToken,
} from "./support/contacts.js";
import { startParley, type Parley } from "./support/parley.js";
import { startThirdPartySite, type ThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn, type WidgetHandle } from "./support/widgetPage.js";

const skip = skipWithoutChromium();

let parley: Parley;
let shop: ThirdPartySite;
let laptop: Browser;
let phone: Browser;
let agent: Agent;
let cookie: string;
let site: Site;
let secret: string;

before(async () => {
  if (skip) return;
  shop = await startThirdPartySite();
  parley = await startParley({ allowedOrigins: [shop.origin] });
  cookie = await login(parley.url);
  agent = await connectAgent(parley.url);
  site = await createSite(parley.url, cookie, { name: "Shop", allowed_origins: [shop.origin] });
  secret = await identitySecret(parley.url, cookie, site.id);
  laptop = await launchChromium();
  phone = await launchChromium();
});

after(async () => {
  agent?.close();
  await laptop?.close();
  await phone?.close();
  await parley?.close();
  await shop?.close();
});

/** A page of the shop whose back end identifies the signed-in user through ParleySettings. */
function signedInPage(path: string, siteKey: string, identify: string): string {
  shop.setPage(
    path,
    embedPage(parley.url, {
      attributes: `data-site="${siteKey}"`,
      head: `<script>window.ParleySettings = { identify: ${identify} };</script>`,
    }),
  );
  return `${shop.origin}${path}`;
}

/** A message the widget shows as sent (the server's echo came back). */
async function sent(widget: WidgetHandle, text: string): Promise<void> {
  await widget.host.locator("li.v", { hasText: text }).locator("time").waitFor();
}

async function open(page: Page): Promise<WidgetHandle> {
  const widget = widgetIn(page);
  await widget.launcher.click();
  await widget.panel.waitFor();
  return widget;
}

const parleyErrors = (errors: string[]): string[] => errors.filter((text) => text.startsWith("Parley:"));

test(
  "two browsers identified with a valid hash for one user share one conversation, live and in the history, every tab following",
  { skip },
  async () => {
    const user = "user-42";
    const url = signedInPage(
      "/account",
      site.key,
      `{ id: "${user}", hash: "${identityHash(secret, user)}", name: "Ada Lovelace", email: "ada@example.com",
         attributes: { plan: "pro", seats: 3, signed_up: new Date("2025-01-02T00:00:00Z") } }`,
    );

    const onLaptop = await laptop.context.newPage();
    const laptopErrors = consoleErrors(onLaptop);
    await onLaptop.goto(url);
    const laptopWidget = await open(onLaptop);
    await laptopWidget.send("Hello from my laptop");
    await sent(laptopWidget, "Hello from my laptop");
    const first = await agent.next(
      "new_message",
      (event) => event.message.content === "Hello from my laptop",
    );

    // A tab of the phone's browser already chats, anonymously, on a page that identifies no one.
    shop.setPage("/help", embedPage(parley.url, { attributes: `data-site="${site.key}"` }));
    const otherTab = await phone.context.newPage();
    await otherTab.goto(`${shop.origin}/help`);
    const otherWidget = await open(otherTab);
    await otherWidget.send("Anyone there?");
    await sent(otherWidget, "Anyone there?");

    // The phone is identified as the same user: it adopts the laptop's conversation.
    const onPhone = await phone.context.newPage();
    const phoneErrors = consoleErrors(onPhone);
    await onPhone.goto(url);
    await waitFor("the phone to adopt the contact's token", async () => {
      const [mine, theirs] = await Promise.all([
        storedToken(onPhone, site.key),
        storedToken(onLaptop, site.key),
      ]);
      return mine !== null && mine === theirs;
    });
    const phoneWidget = await open(onPhone);
    await phoneWidget.host.locator("li.v", { hasText: "Hello from my laptop" }).waitFor();
    // The other tab follows without a reload: same token, the contact's conversation.
    await otherWidget.host.locator("li.v", { hasText: "Hello from my laptop" }).waitFor();
    assert.deepEqual(await otherWidget.texts(), ["Hello from my laptop"]);

    // Live both ways.
    await phoneWidget.send("And now from my phone");
    await sent(phoneWidget, "And now from my phone");
    await laptopWidget.host.locator("li.v", { hasText: "And now from my phone" }).waitFor();
    await otherWidget.host.locator("li.v", { hasText: "And now from my phone" }).waitFor();
    const second = await agent.next(
      "new_message",
      (event) => event.message.content === "And now from my phone",
    );
    assert.equal(second.conversation_id, first.conversation_id, "one conversation");
    agent.perform({ action: "send_message", conversation_id: first.conversation_id, content: "Hi Ada" });
    await laptopWidget.host.locator("li.a", { hasText: "Hi Ada" }).waitFor();
    await phoneWidget.host.locator("li.a", { hasText: "Hi Ada" }).waitFor();

    // The history, after a reload, in both. The laptop's identify, word for word the one the
    // server accepted for its token, is not asked again.
    const identifies: string[] = [];
    onLaptop.on("request", (request) => {
      if (request.url().endsWith("/widget/identify")) identifies.push(request.method());
    });
    for (const page of [onLaptop, onPhone]) {
      await page.reload();
      const widget = await open(page);
      await waitFor("the whole history", async () => (await widget.texts()).length === 3 && widget);
      assert.deepEqual(await widget.texts(), ["Hello from my laptop", "And now from my phone", "Hi Ada"]);
    }
    assert.deepEqual(identifies, []);

    // The agent sees one verified contact with what the back end said, dates typed.
    const { contact } = await contextOf(parley.url, cookie, first.conversation_id);
    assert.ok(contact, "the conversation has a contact");
    const detail = await asAgent<ContactDetailResponse>(parley.url, cookie, "GET", `/contacts/${contact.id}`);
    const expected: Partial<Contact> = {
      external_id: user,
      verified: true,
      name: "Ada Lovelace",
      email: "ada@example.com",
      attributes: { plan: "pro", seats: 3, signed_up: { date: "2025-01-02T00:00:00.000Z" } },
    };
    for (const [field, value] of Object.entries(expected)) {
      assert.deepEqual(detail.contact[field as keyof Contact], value, field);
    }
    // The phone's anonymous conversation is kept, linked to the contact; the shared one goes on.
    const anonymous = await agent.next("new_message", (event) => event.message.content === "Anyone there?");
    assert.deepEqual(
      detail.conversations.map((conversation) => conversation.id).sort((a, b) => a - b),
      [first.conversation_id, anonymous.conversation_id].sort((a, b) => a - b),
    );
    assert.deepEqual(parleyErrors([...laptopErrors, ...phoneErrors]), []);
    await onLaptop.close();
    await onPhone.close();
    await otherTab.close();
  },
);

test(
  "a tampered hash and another id's hash are refused: one console error each, no merge",
  { skip },
  async () => {
    const victim = "user-1000";
    // The victim chats on the laptop, verified.
    const victimUrl = signedInPage(
      "/victim",
      site.key,
      `{ id: "${victim}", hash: "${identityHash(secret, victim)}", name: "Victim" }`,
    );
    // Both browsers start as new visitors of the shop: nothing kept from the test before.
    shop.setPage("/blank", "<p>Blank</p>");
    const onLaptop = await laptop.context.newPage();
    await onLaptop.goto(`${shop.origin}/blank`);
    await onLaptop.evaluate(() => localStorage.clear());
    await onLaptop.goto(victimUrl);
    await waitFor("the victim's identify", () => storedToken(onLaptop, site.key));
    const laptopWidget = await open(onLaptop);
    await laptopWidget.send("My private order");
    await sent(laptopWidget, "My private order");
    const victimToken = await storedToken(onLaptop, site.key);

    // An attacker on the phone chats anonymously, then claims to be the victim.
    shop.setPage("/anonymous", embedPage(parley.url, { attributes: `data-site="${site.key}"` }));
    const onPhone = await phone.context.newPage();
    await onPhone.goto(`${shop.origin}/blank`);
    await onPhone.evaluate(() => localStorage.clear());
    await onPhone.goto(`${shop.origin}/anonymous`);
    const errors = consoleErrors(onPhone);
    const phoneWidget = await open(onPhone);
    await phoneWidget.send("Just browsing");
    await sent(phoneWidget, "Just browsing");
    const ownToken = await storedToken(onPhone, site.key);
    assert.ok(ownToken && ownToken !== victimToken);

    const good = identityHash(secret, victim);
    const tampered = (good[0] === "0" ? "1" : "0") + good.slice(1);
    const forbidden = [tampered, identityHash(secret, "user-7")];
    for (const [index, hash] of forbidden.entries()) {
      await onPhone.evaluate(
        ([id, signed]) =>
          (window as unknown as { Parley: (...args: unknown[]) => void }).Parley("identify", {
            id,
            hash: signed,
          }),
        [victim, hash] as const,
      );
      await waitFor(`refusal ${index + 1} on the console`, () => parleyErrors(errors).length === index + 1);
      assert.match(parleyErrors(errors)[index] ?? "", /403.*Identity verification failed/);
    }
    assert.equal(await storedToken(onPhone, site.key), ownToken, "the phone keeps its own token");
    await onPhone.reload();
    const again = await open(onPhone);
    await again.host.locator("li.v", { hasText: "Just browsing" }).waitFor();
    assert.deepEqual(await again.texts(), ["Just browsing"], "and its own conversation only");

    const mine = await agent.next("new_message", (event) => event.message.content === "Just browsing");
    const theirs = await agent.next("new_message", (event) => event.message.content === "My private order");
    assert.notEqual(mine.conversation_id, theirs.conversation_id);
    const context = await contextOf(parley.url, cookie, mine.conversation_id);
    assert.ok(!context.contact?.verified, "the phone's contact is not verified");
    assert.notEqual(context.contact?.external_id, victim);
    await onLaptop.close();
    await onPhone.close();
  },
);

test("a site that requires verification refuses an id without a hash", { skip }, async () => {
  const strict = await createSite(parley.url, cookie, {
    name: "Strict shop",
    allowed_origins: [shop.origin],
    identity_required: true,
  });
  const url = signedInPage("/strict", strict.key, `{ id: "user-5", name: "No Hash" }`);
  const page = await laptop.context.newPage();
  const errors = consoleErrors(page);
  await page.goto(url);
  await waitFor("the refusal on the console", () => parleyErrors(errors).length > 0);
  assert.equal(parleyErrors(errors).length, 1, parleyErrors(errors).join("\n"));
  assert.match(parleyErrors(errors)[0] ?? "", /403.*Identity verification required/);
  // Nothing changed: the name the call carried is not the visitor's.
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), `parley.name.${strict.key}`), null);
  await page.close();
});

test(
  "another user signing in on the same browser gets a conversation of their own, live",
  { skip },
  async () => {
    shop.setPage("/blank", "<p>Blank</p>");
    const page = await laptop.context.newPage();
    await page.goto(`${shop.origin}/blank`);
    await page.evaluate(() => localStorage.clear());
    const errors = consoleErrors(page);
    await page.goto(
      signedInPage("/shared", site.key, `{ id: "alice", hash: "${identityHash(secret, "alice")}" }`),
    );
    await waitFor("Alice's identify", () => page.evaluate(() => localStorage.length > 0));
    const widget = await open(page);
    await widget.send("Alice's question");
    await sent(widget, "Alice's question");
    const alices = await storedToken(page, site.key);

    // Bob signs in on the same browser, without a page load.
    await page.evaluate(
      ([id, hash]) =>
        (window as unknown as { Parley: (...args: unknown[]) => void }).Parley("identify", { id, hash }),
      ["bob", identityHash(secret, "bob")] as const,
    );
    await waitFor("a token of Bob's own", async () => (await storedToken(page, site.key)) !== alices);
    await waitFor(
      "Alice's conversation gone from the panel",
      async () => (await widget.texts()).length === 0,
    );
    await widget.send("Bob's question");
    await sent(widget, "Bob's question");
    assert.deepEqual(await widget.texts(), ["Bob's question"]);

    const alice = await agent.next("new_message", (event) => event.message.content === "Alice's question");
    const bob = await agent.next("new_message", (event) => event.message.content === "Bob's question");
    assert.notEqual(alice.conversation_id, bob.conversation_id);
    // Each conversation is its own user's: Bob's carries Bob's verified contact from its first message.
    assert.equal((await contextOf(parley.url, cookie, bob.conversation_id)).contact?.external_id, "bob");
    assert.equal((await contextOf(parley.url, cookie, alice.conversation_id)).contact?.external_id, "alice");
    assert.deepEqual(parleyErrors(errors), []);
    await page.close();
  },
);
