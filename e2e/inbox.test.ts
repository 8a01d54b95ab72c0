/**
 * The agent inbox with a team: two agents in two browsers and a visitor on the stock
 * `@rails/actioncable` client. Everything an agent does shows live to the other and to the
 * visitor; visitors' markup stays text; logging out ends the session for real.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { login } from "./support/agent.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { addAgent, buildInbox, inboxIn, loginInInbox, type InboxHandle } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { OWNER, startParley, type Parley } from "./support/parley.js";

const skip = skipWithoutChromium();
const BEA = { username: "bea", password: "bea's long password", name: "Bea" };

let parley: Parley;
const browsers: Browser[] = [];
const visitors: StockVisitor[] = [];
let ada: InboxHandle;
let bea: InboxHandle;

before(async () => {
  if (skip) return;
  buildInbox();
  parley = await startParley();
  await addAgent(parley.url, await login(parley.url), BEA);
  browsers.push(await launchChromium(), await launchChromium());
  const [first, second] = browsers;
  assert.ok(first && second);
  ada = inboxIn(await first.context.newPage());
  bea = inboxIn(await second.context.newPage());
  await loginInInbox(ada.page, parley.url, OWNER);
  await loginInInbox(bea.page, parley.url, BEA);
});

after(async () => {
  for (const visitor of visitors) visitor.close();
  for (const browser of browsers) await browser.close();
  await parley?.close();
});

async function visitor(name: string): Promise<StockVisitor> {
  const connected = await connectVisitor(parley.url, name);
  visitors.push(connected);
  return connected;
}

test(
  "two agents and a visitor: messages, replies and assignments show live everywhere",
  { skip },
  async () => {
    const vera = await visitor("Vera");
    vera.send("Hello, my order has not arrived");

    // Both agents see the new conversation arrive, unread and bold.
    for (const agent of [ada, bea]) {
      const row = agent.row("Vera");
      await row.waitFor();
      await assert.doesNotReject(
        row.locator(".preview", { hasText: "Hello, my order has not arrived" }).waitFor(),
      );
      assert.equal(await row.locator(".badge").textContent(), "1");
      assert.match((await row.getAttribute("class")) ?? "", /\bunread\b/);
    }
    assert.equal(await ada.page.title(), "(1) Parley inbox");

    // Ada opens it (which reads it, for Bea too), sees the visitor typing, replies, assigns herself.
    await ada.open("Vera");
    await bea.row("Vera").locator(".badge").waitFor({ state: "detached" });
    vera.typing(true);
    await ada.page.getByText("The visitor is typing…").waitFor();
    await ada.composer.fill("Sorry to hear that! Let me check.");
    await vera.next("typing", (event) => event.typing && event.agent?.name === "owner");
    await ada.composer.press("Enter");
    await ada.page.getByRole("button", { name: "Assign to me" }).click();

    // The visitor gets the reply, from Ada by name.
    const reply = await vera.next(
      "message",
      (event) => event.message.content === "Sorry to hear that! Let me check.",
    );
    assert.equal(reply.message.sender, "admin");

    // Bea sees both the reply and the assignment without reloading.
    await bea.row("Vera").locator(".preview", { hasText: "owner: Sorry to hear that!" }).waitFor();
    await bea.row("Vera").locator(".assignee", { hasText: "owner" }).waitFor();
    await bea.open("Vera");
    assert.deepEqual(await bea.texts(), [
      "Hello, my order has not arrived",
      "Sorry to hear that! Let me check.",
    ]);
    assert.equal(await bea.page.getByLabel("Assignee").inputValue(), String(reply.message.agent?.id));

    // Bea answers too; Ada sees it live in the open conversation.
    await bea.reply("It ships tomorrow.\nTracking follows by email.");
    await ada.bubbles.filter({ hasText: "It ships tomorrow." }).waitFor();
    assert.deepEqual(await ada.texts(), [
      "Hello, my order has not arrived",
      "Sorry to hear that! Let me check.",
      "It ships tomorrow.\nTracking follows by email.",
    ]);
    await vera.next("message", (event) => event.message.content.startsWith("It ships tomorrow."));
    // Shift+Enter made a new line, not a send.
    assert.equal(vera.messages().filter((m) => m.sender === "admin").length, 2);
  },
);

test("markup in messages shows as text, never as HTML", { skip }, async () => {
  const mallory = await visitor("<b>Mallory</b>");
  const markup = `<img src=x onerror="window.__owned=1"><script>window.__owned=2</script><b>bold</b>`;
  mallory.send(markup);
  const row = ada.row("<b>Mallory</b>");
  await row.waitFor();
  await ada.open("<b>Mallory</b>");
  await ada.bubbles.filter({ hasText: "<b>bold</b>" }).waitFor();
  assert.deepEqual(await ada.texts(), [markup]);
  assert.equal(
    await ada.page
      .locator(".thread .bubble img, .thread .bubble script, .thread .bubble b, a.row .name b")
      .count(),
    0,
  );
  assert.equal(await ada.page.evaluate(() => (window as { __owned?: number }).__owned), undefined);
  await ada.reply("<i>not italic</i>");
  await ada.bubbles.filter({ hasText: "<i>not italic</i>" }).waitFor();
  assert.equal(await ada.page.locator(".thread .bubble i").count(), 0);
});

test("resolve, reopen and delete with a confirmation, seen by the other agent", { skip }, async () => {
  const otto = await visitor("Otto");
  otto.send("Question about returns");
  await ada.row("Otto").waitFor();
  await ada.open("Otto");
  await ada.page.getByRole("button", { name: "Resolve", exact: true }).click();
  // Bea's "Open" list drops it; her "Resolved" list has it.
  await bea.row("Otto").waitFor({ state: "detached" });
  await bea.page.getByRole("combobox", { name: "State" }).selectOption("resolved");
  await bea.row("Otto").waitFor();
  await ada.page.getByRole("button", { name: "Reopen" }).click();
  await bea.row("Otto").waitFor({ state: "detached" });
  await bea.page.getByRole("combobox", { name: "State" }).selectOption("open");
  await bea.row("Otto").waitFor();

  await ada.page.getByRole("button", { name: "Delete" }).click();
  const dialog = ada.page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await ada.row("Otto").count(), 1, "cancel keeps it");
  await ada.page.getByRole("button", { name: "Delete" }).click();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await ada.page.waitForURL(`${parley.url}/admin/chats`);
  await ada.row("Otto").waitFor({ state: "detached" });
  await bea.row("Otto").waitFor({ state: "detached" });
});

test("search finds conversations by visitor name and by message text, on the server", { skip }, async () => {
  const search = ada.page.getByRole("searchbox", { name: "Search conversations" });
  await search.fill("order has not");
  await ada.row("Vera").waitFor();
  await ada.row("<b>Mallory</b>").waitFor({ state: "detached" });
  await search.fill("mallory");
  await ada.row("<b>Mallory</b>").waitFor();
  await ada.row("Vera").waitFor({ state: "detached" });
  await search.fill("");
  await ada.row("Vera").waitFor();
});

test("logout really ends the session: the old cookie is refused", { skip }, async () => {
  const browser = await launchChromium();
  browsers.push(browser);
  const page = await browser.context.newPage();
  await loginInInbox(page, parley.url, BEA);
  const cookies = await browser.context.cookies(parley.url);
  const session = cookies.find((cookie) => cookie.name === "parley_session");
  assert.ok(session, "a session cookie");
  const oldCookie = `${session.name}=${session.value}`;
  assert.equal((await fetch(`${parley.url}/auth/me`, { headers: { cookie: oldCookie } })).status, 200);

  await page.getByRole("button", { name: "Log out" }).click();
  await page.waitForURL(`${parley.url}/admin/login`);
  await page.getByText("You have logged out.").waitFor();
  assert.equal((await fetch(`${parley.url}/auth/me`, { headers: { cookie: oldCookie } })).status, 401);
  const list = await fetch(`${parley.url}/conversations`, { headers: { cookie: oldCookie } });
  assert.equal(list.status, 401);
  await page.goto(`${parley.url}/admin/chats`);
  await page.waitForURL(`${parley.url}/admin/login`);
});

test("a revoked session returns to the login page with a message", { skip }, async () => {
  // Bea is signed in in her browser; the owner resets her password, which ends her sessions.
  const ownerCookie = await login(parley.url);
  const agents = (await (
    await fetch(`${parley.url}/agents`, { headers: { cookie: ownerCookie } })
  ).json()) as {
    agents: { id: number; username: string }[];
  };
  const beaId = agents.agents.find((agent) => agent.username === BEA.username)?.id;
  assert.ok(beaId);
  const reset = await fetch(`${parley.url}/agents/${beaId}/password`, {
    method: "PUT",
    headers: { "content-type": "application/json", cookie: ownerCookie, origin: parley.url },
    body: JSON.stringify({ password: "a brand new password" }),
  });
  assert.equal(reset.status, 200);
  await bea.page.waitForURL(`${parley.url}/admin/login`);
  await bea.page.getByText("Your session has ended. Please log in again.").waitFor();
  assert.equal(await bea.page.getByText("Connecting…").count(), 0);
});
