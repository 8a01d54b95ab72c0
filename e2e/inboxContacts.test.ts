/**
 * Contacts and the visitor's context in the inbox (§12), against a real server and real
 * visitors (cable clients whose upgrade request says browser and language, as a widget's does):
 * the side panel shows the page, browser and language, and the current page follows the visitor
 * live; an agent edits the contact's email (a refusal shown, then saved); two contacts are merged
 * from the Contacts page and both conversations end up under the survivor, while two users
 * verified as different people are refused with the server's words; an owner reveals, copies and
 * rotates a site's identity secret (old hashes then fail), requires verified identity, and sets
 * the pre-chat form.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import type { Contact, ContactDetailResponse, Conversation, Site } from "@parley/protocol";
import { login } from "./support/agent.js";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import {
  connectContextVisitor,
  identify,
  leaveDetails,
  type ContextVisitor,
} from "./support/contextVisitor.js";
import { buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";
import { waitFor } from "./support/wait.js";

const skip = skipWithoutChromium();

let parley: Parley;
let ownerCookie: string;
const browsers: Browser[] = [];
const visitors: ContextVisitor[] = [];

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  ownerCookie = await login(parley.url);
});

after(async () => {
  for (const visitor of visitors) visitor.close();
  for (const browser of browsers) await browser.close();
  await parley?.close();
});

async function ownerPage(viewport = { width: 1280, height: 900 }): Promise<Page> {
  const browser = await launchChromium({ viewport });
  browsers.push(browser);
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: parley.url });
  const page = await browser.context.newPage();
  await loginInInbox(page, parley.url, OWNER);
  return page;
}

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(`${parley.url}${path}`, {
    headers: { cookie: ownerCookie, origin: parley.url },
  });
  assert.equal(response.status, 200, `GET ${path}`);
  return (await response.json()) as T;
}

async function conversationOf(name: string): Promise<Conversation> {
  return waitFor(`${name}'s conversation`, async () => {
    const { conversations } = await getJson<{ conversations: Conversation[] }>(
      `/conversations?q=${encodeURIComponent(name)}`,
    );
    return conversations.find((conversation) => conversation.visitor_name === name);
  });
}

async function contactOf(name: string): Promise<Contact> {
  const conversation = await waitFor(`${name}'s contact`, async () => {
    const found = await conversationOf(name);
    return found.contact_id === null ? undefined : found;
  });
  return (await getJson<ContactDetailResponse>(`/contacts/${conversation.contact_id}`)).contact;
}

async function defaultSite(): Promise<Site> {
  const { sites } = await getJson<{ sites: Site[] }>("/sites");
  const site = sites.find((candidate) => candidate.is_default);
  assert.ok(site);
  return site;
}

const hashOf = (secret: string, id: string): string => createHmac("sha256", secret).update(id).digest("hex");

test(
  "the agent sees the visitor's page, browser and language; the current page follows them live; the email is edited",
  { skip },
  async () => {
    const zoe = await connectContextVisitor(parley.url, { name: "Zoé" });
    visitors.push(zoe);
    zoe.page(`${parley.url}/lamps?utm_source=newsletter&utm_campaign=spring`, "Brass lamps", {
      referrer: "https://search.example/?q=brass+lamp",
      time_zone: "Europe/Paris",
    });
    zoe.send("Is the brass lamp in stock?");
    await leaveDetails(parley.url, { token: zoe.token, name: "Zoé" });

    const page = await ownerPage();
    const inbox = inboxIn(page);
    await inbox.open("Zoé");
    const details = page.getByRole("complementary", { name: "Visitor details" });
    const current = details.locator("[data-current-page]");
    await current.getByText("Brass lamps").waitFor();
    // The query string is dropped (the site keeps none), the UTM tags are read first.
    const link = current.getByRole("link", { name: "Brass lamps" });
    assert.equal(await link.getAttribute("href"), `${parley.url}/lamps`);
    assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
    await details.getByText("newsletter").waitFor();
    await details.getByText("spring").waitFor();
    await details.locator("dd", { hasText: "Chrome" }).waitFor();
    await details.locator("dd", { hasText: "Windows" }).waitFor();
    await details.locator("dd", { hasText: /^fr/ }).waitFor();
    await details.locator("dd", { hasText: "Europe/Paris" }).waitFor();
    await details.getByText("search.example", { exact: false }).first().waitFor();

    // Another page, live: the panel's current page moves without a reload.
    zoe.page(`${parley.url}/lamps/shades`, "Lamp shades", { time_zone: "Europe/Paris" });
    await current.getByText("Lamp shades").waitFor();
    await details
      .getByRole("list", { name: "Pages visited, newest first" })
      .getByText("Brass lamps")
      .waitFor();

    // The contact: an email the server refuses is said beside the form, which keeps it; then a good one.
    const card = details.locator(".contact-card");
    await card.getByRole("button", { name: "Edit" }).click();
    const form = card.getByRole("form", { name: "Edit contact" });
    const email = form.getByLabel("Email");
    await email.fill("zoe at example");
    // The browser's own check would stop a type=email field; the server must be the one refusing.
    await email.evaluate((input) => input.setAttribute("type", "text"));
    await form.getByRole("button", { name: "Save contact" }).click();
    await form.getByRole("alert").waitFor();
    assert.equal(await email.inputValue(), "zoe at example");
    await email.fill("zoe@example.com");
    await form.getByRole("button", { name: "Save contact" }).click();
    await card.locator("dd", { hasText: "zoe@example.com" }).waitFor();
    assert.equal((await contactOf("Zoé")).email, "zoe@example.com");

    // An attribute, typed: a number, shown formatted.
    await card.getByRole("button", { name: "Edit" }).click();
    await form.getByRole("button", { name: "Add attribute" }).click();
    await form.getByLabel("Attribute 1 name").fill("lamps_bought");
    await form.getByLabel("Attribute 1 type").selectOption("number");
    await form.getByLabel("Attribute 1 value").fill("3");
    await form.getByRole("button", { name: "Save contact" }).click();
    await card.locator("dt", { hasText: "lamps_bought" }).waitFor();
    assert.deepEqual((await contactOf("Zoé")).attributes, { lamps_bought: 3 });

    // The card leads to the contact's own page, which lists this conversation.
    await card.getByRole("link", { name: "Contact page" }).click();
    await page.getByRole("heading", { name: "Zoé", level: 1 }).waitFor();
    await page.locator(".contact-conversations").getByText("Zoé").waitFor();

    // A phone: the panel, opened from the menu, fits the screen.
    const phone = await ownerPage({ width: 390, height: 844 });
    const conversation = await conversationOf("Zoé");
    await phone.goto(`${parley.url}/admin/chats/${conversation.id}`);
    await phone.getByRole("button", { name: "Conversation actions" }).click();
    await phone.getByRole("button", { name: /details/i }).click();
    await phone.locator(".details [data-current-page]").getByText("Lamp shades").waitFor();
    assert.deepEqual((await sidewaysOverflow(phone)).wider, [], "the details on a phone");
  },
);

test(
  "two contacts merge from the Contacts page and both conversations are the survivor's",
  { skip },
  async () => {
    const first = await connectContextVisitor(parley.url, { name: "Ann Lee" });
    const second = await connectContextVisitor(parley.url, { name: "Annie L" });
    visitors.push(first, second);
    first.send("First question");
    second.send("Second question, other browser");
    await leaveDetails(parley.url, { token: first.token, name: "Ann Lee", email: "ann@one.example" });
    await leaveDetails(parley.url, { token: second.token, name: "Annie L", email: "ann@two.example" });
    const survivor = await contactOf("Ann Lee");
    const other = await contactOf("Annie L");
    assert.notEqual(survivor.id, other.id);

    const page = await ownerPage();
    await page.getByRole("link", { name: "Contacts" }).click();
    await page.getByRole("heading", { name: "Contacts", level: 1 }).waitFor();
    await page.getByRole("searchbox", { name: "Search contacts" }).fill("ann@one");
    const rows = page.getByRole("list", { name: "Contacts" });
    await rows.getByRole("link", { name: /Ann Lee/ }).waitFor();
    await rows.getByRole("link", { name: /Annie L/ }).waitFor({ state: "detached" });
    await rows.getByRole("link", { name: /Ann Lee/ }).click();
    await page.getByRole("heading", { name: "Ann Lee", level: 1 }).waitFor();

    await page.getByRole("button", { name: "Merge with…" }).click();
    await page.getByLabel("Find the other contact").fill("Annie");
    await page
      .getByRole("list", { name: "Contacts to merge with" })
      .getByRole("button", { name: /Annie L/ })
      .click();
    const dialog = page.getByRole("dialog", { name: "Merge Annie L into Ann Lee?" });
    await dialog.getByRole("button", { name: "Merge contacts" }).click();
    await page.getByRole("status").filter({ hasText: "Annie L was merged into Ann Lee." }).waitFor();
    const conversations = page.locator(".contact-conversations li");
    await waitFor("both conversations under Ann Lee", async () => (await conversations.count()) === 2);
    await conversations.filter({ hasText: "Annie L" }).waitFor();

    const merged = await getJson<ContactDetailResponse>(`/contacts/${survivor.id}`);
    assert.equal(merged.conversations.length, 2);
    const gone = await fetch(`${parley.url}/contacts/${other.id}`, {
      headers: { cookie: ownerCookie, origin: parley.url },
    });
    assert.equal(gone.status, 404);
    // A past conversation link leads into the inbox.
    await conversations.filter({ hasText: "Annie L" }).getByRole("link").click();
    await page.locator(".thread-head h2", { hasText: "Annie L" }).waitFor();
  },
);

test(
  "an owner reveals, copies and rotates the identity secret, requires verified identity, and sets the pre-chat form; two verified users are never merged",
  { skip },
  async () => {
    const site = await defaultSite();
    const page = await ownerPage();
    await page.goto(`${parley.url}/admin/settings/sites/${site.id}`);
    const identity = page.getByRole("group", { name: "Identity verification" });
    await identity.getByRole("button", { name: "Reveal secret" }).click();
    const field = identity.getByLabel("Identity secret");
    await field.waitFor();
    const secret = await field.inputValue();
    assert.equal(secret, (await getJson<{ secret: string }>(`/sites/${site.id}/identity`)).secret);
    await identity.getByRole("button", { name: "Copy secret" }).click();
    await identity.getByText("Copied.", { exact: false }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await identity.locator("[data-snippet=node]").getByText("createHmac", { exact: false }).waitFor();
    await identity.getByLabel("Back-end code that makes the hash").selectOption("python");
    await identity.locator("[data-snippet=python]").getByText("hmac.new", { exact: false }).waitFor();

    // A hash made with this secret verifies.
    const uno = await connectContextVisitor(parley.url, { name: "Uno" });
    visitors.push(uno);
    const verified = await identify(parley.url, {
      token: uno.token,
      id: "user-1",
      name: "Uno",
      hash: hashOf(secret, "user-1"),
    });
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.verified, true);

    // Rotate, after a confirmation that says old hashes stop working.
    await identity.getByRole("button", { name: "Rotate secret…" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate the identity secret?" });
    await dialog.getByText("stops working", { exact: false }).waitFor();
    await dialog.getByRole("button", { name: "Rotate secret" }).click();
    await identity.getByText("A new secret is in place", { exact: false }).waitFor();
    const rotated = await field.inputValue();
    assert.notEqual(rotated, secret);
    assert.equal(rotated, (await getJson<{ secret: string }>(`/sites/${site.id}/identity`)).secret);
    const dos = await connectContextVisitor(parley.url, { name: "Dos" });
    visitors.push(dos);
    const stale = await identify(parley.url, {
      token: dos.token,
      id: "user-2",
      hash: hashOf(secret, "user-2"),
    });
    assert.equal(stale.status, 403);
    const fresh = await identify(parley.url, {
      token: dos.token,
      id: "user-2",
      name: "Dos",
      hash: hashOf(rotated, "user-2"),
    });
    assert.equal(fresh.status, 200, JSON.stringify(fresh.body));

    // Two users verified with different ids are two people: the merge is refused, in the server's words.
    uno.send("I am user one");
    dos.send("I am user two");
    const one = await contactOf("Uno");
    const two = await contactOf("Dos");
    await page.goto(`${parley.url}/admin/contacts/${one.id}`);
    await page.locator(".contact-card .tag.verified").first().waitFor();
    await page.getByRole("button", { name: "Merge with…" }).click();
    await page.getByLabel("Find the other contact").fill("Dos");
    await page
      .getByRole("list", { name: "Contacts to merge with" })
      .getByRole("button", { name: new RegExp(two.name ?? "Dos") })
      .click();
    const merge = page.getByRole("dialog");
    await merge.getByRole("button", { name: "Merge contacts" }).click();
    await merge.getByRole("alert").getByText("cannot be merged", { exact: false }).waitFor();
    assert.equal((await getJson<ContactDetailResponse>(`/contacts/${two.id}`)).contact.id, two.id);
    await merge.getByRole("button", { name: "Cancel" }).click();

    // Require verified identity: an id without a hash is refused from then on.
    await page.goto(`${parley.url}/admin/settings/sites/${site.id}`);
    const toggles = page.getByRole("form", { name: "Identity and context settings" });
    await toggles.getByLabel("Require verified identity").check();
    await toggles.getByRole("button", { name: "Save identity settings" }).click();
    await toggles.getByText("Saved.").waitFor();
    assert.equal((await defaultSite()).identity_required, true);
    const tres = await connectContextVisitor(parley.url, { name: "Tres" });
    visitors.push(tres);
    const claim = await identify(parley.url, { token: tres.token, id: "user-3" });
    assert.equal(claim.status, 403);

    // The pre-chat form: email required, name optional; the preview shows the form.
    const widget = page.getByRole("form", { name: "Widget" });
    await widget.getByLabel("Pre-chat email").selectOption("required");
    await widget.getByLabel("Pre-chat name").selectOption("optional");
    await widget.locator("[data-preview-prechat]").getByText("Your name (optional)").waitFor();
    await widget.getByRole("button", { name: "Save widget" }).click();
    await widget.getByText("Saved.").waitFor();
    assert.deepEqual((await defaultSite()).widget.prechat, { name: "optional", email: "required" });
  },
);

for (const [size, viewport] of [
  ["desktop", { width: 1280, height: 900 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  test(
    `axe finds no problem in the side panel, the Contacts pages and identity settings, light and dark, ${size}`,
    { skip },
    async () => {
      const page = await ownerPage(viewport);
      const zoe = await conversationOf("Zoé");
      const ann = await contactOf("Ann Lee");
      const site = await defaultSite();
      const problems: string[] = [];
      const check = async (where: string): Promise<void> => {
        for (const scheme of ["light", "dark"] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          for (const problem of await accessibilityProblems(page))
            problems.push(`${where} (${scheme}): ${problem}`);
        }
      };

      await page.goto(`${parley.url}/admin/chats/${zoe.id}`);
      if (size === "phone") {
        await page.getByRole("button", { name: "Conversation actions" }).click();
        await page.getByRole("button", { name: "Details" }).click();
      }
      const details = page.getByRole("complementary", { name: "Visitor details" });
      await details.locator("[data-current-page]").getByText("Lamp shades").waitFor();
      await check("the side panel");
      await details.locator(".contact-card").getByRole("button", { name: "Edit" }).click();
      await details.getByRole("form", { name: "Edit contact" }).waitFor();
      await check("editing the contact");

      await page.goto(`${parley.url}/admin/contacts`);
      await page.getByRole("list", { name: "Contacts" }).getByRole("link").first().waitFor();
      await check("the contacts");
      assert.deepEqual((await sidewaysOverflow(page)).wider, [], "the contacts");

      await page.goto(`${parley.url}/admin/contacts/${ann.id}`);
      await page.getByRole("button", { name: "Merge with…" }).click();
      await page.getByLabel("Find the other contact").waitFor();
      await check("a contact, merging");
      assert.deepEqual((await sidewaysOverflow(page)).wider, [], "a contact");

      await page.goto(`${parley.url}/admin/settings/sites/${site.id}`);
      const identity = page.getByRole("group", { name: "Identity verification" });
      await identity.getByRole("button", { name: "Reveal secret" }).click();
      await identity.getByLabel("Identity secret").waitFor();
      await check("identity verification");
      assert.deepEqual((await sidewaysOverflow(page)).wider, [], "the site editor");

      assert.deepEqual(problems, []);
    },
  );
}
