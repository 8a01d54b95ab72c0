/**
 * §15 in the inbox, end to end against the real server: canned replies made on their page and
 * picked by keyboard alone (variables filled, the visitor gets the filled text); a private note
 * with markup and a mention, shown as text, never reaching a visitor (live, history or `since`,
 * nor the widget),
 * and marked for the agent it mentions in their own browser; the keyboard shortcuts and their
 * dialog; axe and the screen's width with the note mode, the lists, the emoji grid, the
 * shortcuts dialog and the canned replies page, light and dark, desktop and phone.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Agent, CannedReply, Conversation, Site } from "@parley/protocol";
import type { Page } from "playwright-core";
import { login } from "./support/agent.js";
import { accessibilityProblems } from "./support/axe.js";
import { launchChromium, skipWithoutChromium, type Browser } from "./support/chromium.js";
import { addAgent, buildInbox, inboxIn, loginInInbox } from "./support/inbox.js";
import { connectVisitor, type StockVisitor } from "./support/inboxVisitor.js";
import { sidewaysOverflow } from "./support/layout.js";
import { OWNER, startParley } from "./support/parley.js";
import { startThirdPartySite } from "./support/thirdPartySite.js";
import { waitFor } from "./support/wait.js";
import { embedPage, widgetIn } from "./support/widgetPage.js";

const skip = skipWithoutChromium();
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const SCHEMES = ["light", "dark"] as const;
const AGENT2 = { username: "agent2", password: "another horse battery staple", name: "Bea Agent" };

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function setUp(viewport: { width: number; height: number }) {
  buildInbox();
  const parley = await startParley();
  cleanups.push(() => parley.close());
  const cookie = await login(parley.url);
  const browser = async (): Promise<Page> => {
    const launched: Browser = await launchChromium({ viewport });
    cleanups.push(() => launched.close());
    return launched.context.newPage();
  };
  const visitor = async (name: string, token?: string, since?: number): Promise<StockVisitor> => {
    const connected = await connectVisitor(parley.url, name, token, since === undefined ? {} : { since });
    cleanups.push(() => connected.close());
    return connected;
  };
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${parley.url}${path}`, {
      method,
      headers: {
        cookie,
        origin: parley.url,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return (await response.json()) as T;
  };
  return { parley, page: await browser(), browser, visitor, api };
}

test(
  "a canned reply made on its page is picked with the keyboard alone, filled in, and reaches the visitor",
  { skip },
  async () => {
    const { parley, page, visitor, api } = await setUp(DESKTOP);
    const vera = await visitor("Vera Lindqvist");
    vera.send("Where is my lamp?");
    await loginInInbox(page, parley.url, OWNER);
    const { agent: me } = await api<{ agent: Agent }>("GET", "/auth/me");
    const { sites } = await api<{ sites: Site[] }>("GET", "/sites");
    const siteName = sites.find((site) => site.is_default)?.name ?? "";

    // The page, from Account.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Account" }).click();
    await page.getByRole("link", { name: "Manage canned replies" }).click();
    await page.getByRole("heading", { level: 1, name: "Canned replies" }).waitFor();
    const form = page.getByRole("form", { name: "New canned reply" });
    const add = async (shortcut: string, content: string): Promise<void> => {
      await form.getByLabel("Shortcut").fill(shortcut);
      await form.getByLabel("Text").fill(content);
      await form.getByRole("button", { name: "Add canned reply" }).click();
      await page.locator(`.canned-item[data-shortcut="${shortcut}"]`).waitFor();
    };
    await add("shop", "Our shop opens at nine.");
    await add(
      "shortly",
      "Hi {{visitor.name}}, {{agent.name}} of {{site.name}} here: order {{order.id}} ships shortly.",
    );
    // A taken shortcut is refused with the server's words, and the form keeps what was typed.
    await form.getByLabel("Shortcut").fill("shop");
    await form.getByLabel("Text").fill("Again");
    await form.getByRole("button", { name: "Add canned reply" }).click();
    await form.getByRole("alert").waitFor();
    assert.equal(await form.getByLabel("Text").inputValue(), "Again");

    // An owner shares one with the team, for one site; changes one; deletes one after asking.
    await form.getByLabel("The team (shared)").check();
    await form.getByLabel("Site").selectOption({ label: siteName });
    await add("hours", "We answer from nine to five.");
    const hours = page.locator('.canned-item[data-shortcut="hours"]');
    assert.equal(await hours.locator(".tag").textContent(), `Shared · ${siteName}`);
    const shop = page.locator('.canned-item[data-shortcut="shop"]');
    await shop.getByRole("button", { name: "Edit /shop" }).click();
    await shop.getByLabel("Text").fill("Our shop opens at ten.");
    await shop.getByRole("button", { name: "Save" }).click();
    await shop.locator(".canned-content", { hasText: "Our shop opens at ten." }).waitFor();
    await hours.getByRole("button", { name: "Delete /hours" }).click();
    await page
      .getByRole("dialog", { name: "Delete /hours?" })
      .getByRole("button", { name: "Delete" })
      .click();
    await hours.waitFor({ state: "detached" });
    const { canned_replies: kept } = await api<{ canned_replies: CannedReply[] }>(
      "GET",
      `/canned_replies?site_id=${sites.find((site) => site.is_default)?.id}`,
    );
    assert.deepEqual(kept.map((reply) => [reply.shortcut, reply.scope]).sort(), [
      ["shop", "personal"],
      ["shortly", "personal"],
    ]);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Inbox" }).click();
    const inbox = inboxIn(page);
    await inbox.open("Vera Lindqvist");
    await inbox.composer.focus();
    await page.keyboard.type("/sho");
    const list = page.getByRole("listbox", { name: "Canned replies" });
    await list.waitFor();
    assert.deepEqual(await list.getByRole("option").locator(".suggest-key").allTextContents(), [
      "/shop",
      "/shortly",
    ]);
    const activeName = async (): Promise<string> => {
      const id = await inbox.composer.getAttribute("aria-activedescendant");
      assert.ok(id, "the box names the active option");
      assert.equal(await page.locator(`#${id}`).getAttribute("aria-selected"), "true");
      return (await page.locator(`#${id} .suggest-key`).textContent()) ?? "";
    };
    assert.equal(await activeName(), "/shop");
    await page.keyboard.press("Escape");
    await list.waitFor({ state: "detached" });
    assert.equal(await inbox.composer.inputValue(), "/sho", "Esc closes the list, the text stays");
    await page.keyboard.press("Backspace");
    await page.keyboard.type("o");
    await list.waitFor();
    await page.keyboard.press("ArrowDown");
    assert.equal(await activeName(), "/shortly");
    await page.keyboard.press("Enter");
    await list.waitFor({ state: "detached" });
    const expected = `Hi Vera Lindqvist, ${me.name} of ${siteName} here: order {{order.id}} ships shortly.`;
    assert.equal(await inbox.composer.inputValue(), expected);
    await page.keyboard.press("Enter");
    const received = await vera.next("message", (event) => event.message.sender !== "visitor");
    assert.equal(received.message.content, expected);
  },
);

test(
  "a note with markup and a mention shows as text, never reaches the visitor, and is marked for the agent it mentions",
  { skip },
  async () => {
    const { parley, page, browser, visitor, api } = await setUp(DESKTOP);
    await addAgent(parley.url, await login(parley.url), AGENT2);
    const vera = await visitor("Vera Lindqvist");
    vera.send("Hello, the lamp flickers.");
    const hello = await vera.next("message", (event) => event.message.sender === "visitor");
    const page2 = await browser();
    await loginInInbox(page, parley.url, OWNER);
    await loginInInbox(page2, parley.url, AGENT2);
    const inbox = inboxIn(page);
    await inbox.open("Vera Lindqvist");

    await page.getByRole("button", { name: "Note", exact: true }).click();
    await page.getByText("Private note — visitors never see this").waitFor();
    const noteBox = page.getByRole("textbox", { name: "Private note" });
    await noteBox.focus();
    await page.keyboard.type("<b>x</b> @age");
    const agents = page.getByRole("listbox", { name: "Agents" });
    await agents.waitFor();
    assert.deepEqual(await agents.getByRole("option").locator(".suggest-key").allTextContents(), ["@agent2"]);
    await page.keyboard.press("Tab");
    await agents.waitFor({ state: "detached" });
    assert.equal(await noteBox.inputValue(), "<b>x</b> @agent2 ");
    await page.keyboard.press("Enter");

    const note = page.locator(".msg.note-item[data-note-id]");
    await note.waitFor();
    assert.equal(await note.locator(".bubble").textContent(), "<b>x</b> @agent2");
    assert.equal(await note.locator(".bubble b").count(), 0, "markup stays text");
    assert.equal(await note.locator(".note-tag").textContent(), "Note");

    // agent2 hears of it, and sees it marked as theirs.
    await page2.getByText(/mentioned you in a note/).waitFor();
    const inbox2 = inboxIn(page2);
    await inbox2.open("Vera Lindqvist");
    const mine = page2.locator(".msg.note-item.for-me");
    await mine.waitFor();
    assert.equal(await mine.locator(".bubble").textContent(), "<b>x</b> @agent2");
    assert.equal(await mine.locator(".mention.me").textContent(), "@agent2");
    assert.equal(await mine.locator(".bubble b").count(), 0);

    // The visitor never sees it: not live, not in history, not with `since`.
    await page.getByRole("button", { name: "Reply", exact: true }).click();
    await inbox.reply("After the note");
    await vera.next("message", (event) => event.message.content === "After the note");
    const leaks = (events: unknown[]): boolean => JSON.stringify(events).includes("<b>x</b>");
    assert.equal(leaks(vera.events), false, "live");
    const history = await visitor("Vera Lindqvist", vera.token);
    await history.next("history");
    await waitFor("the history to hold the reply", () =>
      history.messages().some((m) => m.content === "After the note"),
    );
    assert.equal(leaks(history.events), false, "history");
    const since = await visitor("Vera Lindqvist", vera.token, hello.message.id);
    await waitFor("the replay since the first message", () =>
      since.messages().some((m) => m.content === "After the note"),
    );
    assert.equal(leaks(since.events), false, "since");
    const { conversations } = await api<{ conversations: Conversation[] }>("GET", "/conversations");
    const id = conversations[0]?.id;
    const { messages } = await api<{ messages: { content: string }[] }>(
      "GET",
      `/conversations/${id}/messages`,
    );
    assert.equal(leaks(messages), false, "the conversation's messages");
  },
);

test("a note never shows in the widget, live or after a reload", { skip }, async () => {
  buildInbox();
  const site = await startThirdPartySite();
  cleanups.push(() => site.close());
  const parley = await startParley({ allowedOrigins: [site.origin] });
  cleanups.push(() => parley.close());
  site.setPage("/", embedPage(parley.url));
  const launched = await launchChromium({ viewport: DESKTOP });
  cleanups.push(() => launched.close());
  const shop = await launched.context.newPage();
  const page = await launched.context.newPage();

  await shop.goto(`${site.origin}/`);
  const widget = widgetIn(shop);
  await widget.launcher.click();
  await widget.send("Hello from the widget");
  await loginInInbox(page, parley.url, OWNER);
  const inbox = inboxIn(page);
  await inbox.open("Visitor");
  await page.getByRole("button", { name: "Note", exact: true }).click();
  await page.getByRole("textbox", { name: "Private note" }).fill("<b>secret</b> for the team");
  await page.getByRole("textbox", { name: "Private note" }).press("Enter");
  await page.locator(".msg.note-item[data-note-id]").waitFor();
  await page.getByRole("button", { name: "Reply", exact: true }).click();
  await inbox.reply("A visible reply");

  await widget.bubbles.filter({ hasText: "A visible reply" }).waitFor();
  const secret = (texts: string[]): boolean => texts.some((text) => text.includes("secret"));
  assert.equal(secret(await widget.texts()), false, "live");
  assert.equal(await widget.host.locator("b").count(), 0);
  await shop.reload();
  const again = widgetIn(shop);
  await again.launcher.click();
  await again.bubbles.filter({ hasText: "A visible reply" }).waitFor();
  assert.equal(secret(await again.texts()), false, "after a reload");
});

test(
  "shortcuts: j/k and Alt+arrows move, e resolves, a assigns, / searches, ? lists them",
  { skip },
  async () => {
    const { parley, page, visitor, api } = await setUp(DESKTOP);
    (await visitor("Ann Older")).send("First");
    await waitFor(
      "Ann's conversation",
      async () =>
        (await api<{ conversations: unknown[] }>("GET", "/conversations")).conversations.length === 1,
    );
    (await visitor("Ben Newer")).send("Second");
    await loginInInbox(page, parley.url, OWNER);
    const inbox = inboxIn(page);
    await inbox.row("Ann Older").waitFor();
    await inbox.row("Ben Newer").waitFor();
    const heading = page.locator(".thread-head h2");
    const leaveBox = async (): Promise<void> => {
      // Opening a conversation puts the caret in the reply box; Esc leaves it.
      await inbox.composer.waitFor();
      await inbox.composer.focus();
      await page.keyboard.press("Escape");
    };

    await page.keyboard.press("j");
    await heading.filter({ hasText: "Ben Newer" }).waitFor();
    await leaveBox();
    await page.keyboard.press("j");
    await heading.filter({ hasText: "Ann Older" }).waitFor();
    await leaveBox();
    await page.keyboard.press("k");
    await heading.filter({ hasText: "Ben Newer" }).waitFor();
    // Alt+↓ works from inside the reply box too, and letters there are text.
    await inbox.composer.focus();
    await page.keyboard.type("jk");
    assert.equal(await inbox.composer.inputValue(), "jk");
    await page.keyboard.press("Alt+ArrowDown");
    await heading.filter({ hasText: "Ann Older" }).waitFor();
    await page.keyboard.press("Alt+ArrowUp");
    await heading.filter({ hasText: "Ben Newer" }).waitFor();
    await leaveBox();

    const ben = async (): Promise<Conversation> => {
      const { conversations } = await api<{ conversations: Conversation[] }>(
        "GET",
        "/conversations?status=all",
      );
      const found = conversations.find((c) => c.visitor_name === "Ben Newer");
      assert.ok(found);
      return found;
    };
    const { agent: me } = await api<{ agent: Agent }>("GET", "/auth/me");
    await page.keyboard.press("a");
    await waitFor("Ben assigned to me", async () => (await ben()).assignee_id === me.id);
    await page.keyboard.press("e");
    await waitFor("Ben resolved", async () => (await ben()).state === "resolved");

    await page.keyboard.press("/");
    const search = page.locator(".list-pane input[type=search]");
    assert.equal(await search.evaluate((element) => element === document.activeElement), true);
    assert.equal(await search.inputValue(), "", "the / is not typed");

    await page.locator(".log").focus();
    await page.keyboard.press("?");
    const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
    await dialog.waitFor();
    const rows = await dialog.locator("tbody tr").allTextContents();
    for (const does of [
      "Next conversation",
      "Previous conversation",
      "Resolve",
      "Assign",
      "Search",
      "canned",
      "mention",
    ])
      assert.ok(
        rows.some((row) => row.includes(does)),
        `the dialog lists "${does}": ${rows.join(" | ")}`,
      );
    // Nothing else acts while it is open; Esc closes it.
    await page.keyboard.press("j");
    await heading.filter({ hasText: "Ben Newer" }).waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
  },
);

for (const [size, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
  test(
    `axe and the screen's width: note mode, the lists, the emoji grid, the shortcuts and the canned page, ${size}`,
    { skip },
    async () => {
      const { parley, page, visitor, api } = await setUp(viewport);
      await api<{ canned_reply: CannedReply }>("POST", "/canned_replies", {
        scope: "personal",
        shortcut: "hello",
        content: "Hi {{visitor.name}}, how can I help?",
      });
      await api<{ canned_reply: CannedReply }>("POST", "/canned_replies", {
        scope: "shared",
        shortcut: "hours",
        content: `Our team answers from nine to five, every weekday. ${"A long line. ".repeat(12)}`,
      });
      (await visitor("Vera Lindqvist")).send("Hello https://example.com/orders/42 is my order");
      await loginInInbox(page, parley.url, OWNER);
      const inbox = inboxIn(page);
      await inbox.open("Vera Lindqvist");
      const link = page.locator(".msg .bubble a");
      assert.equal(await link.getAttribute("href"), "https://example.com/orders/42");
      assert.equal(await link.getAttribute("rel"), "noopener noreferrer nofollow");
      assert.equal(await link.getAttribute("target"), "_blank");

      const problems: string[] = [];
      const check = async (screen: string): Promise<void> => {
        for (const colorScheme of SCHEMES) {
          await page.emulateMedia({ colorScheme });
          for (const problem of await accessibilityProblems(page))
            problems.push(`${screen}, ${colorScheme}: ${problem}`);
          const layout = await sidewaysOverflow(page);
          for (const wider of layout.wider)
            problems.push(`${screen}, ${colorScheme}: wider than the screen: ${wider}`);
        }
        await page.emulateMedia({ colorScheme: "light" });
      };

      await page.getByRole("button", { name: "Note", exact: true }).click();
      const noteBox = page.getByRole("textbox", { name: "Private note" });
      await noteBox.focus();
      await check("note mode");
      await page.keyboard.type("@");
      await page.getByRole("listbox", { name: "Agents" }).waitFor();
      await check("the mention list");
      await noteBox.fill("");
      await page.getByRole("button", { name: "Reply", exact: true }).click();
      await inbox.composer.focus();
      await page.keyboard.type("/");
      await page.getByRole("listbox", { name: "Canned replies" }).waitFor();
      await check("the canned list");
      await inbox.composer.fill("");

      await page.getByRole("button", { name: "Insert emoji" }).click();
      const grid = page.getByRole("group", { name: "Emoji" });
      await grid.waitFor();
      await check("the emoji grid");
      await page.keyboard.press("ArrowRight");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Enter");
      await grid.waitFor({ state: "detached" });
      const inserted = await inbox.composer.inputValue();
      assert.equal(inserted.length > 0 && [...inserted].length, 1, `one emoji: ${inserted}`);
      await page.getByRole("button", { name: "Insert emoji" }).click();
      await grid.waitFor();
      await page.keyboard.press("Escape");
      await grid.waitFor({ state: "detached" });
      assert.equal(
        await page
          .getByRole("button", { name: "Insert emoji" })
          .evaluate((b) => b === document.activeElement),
        true,
        "Esc goes back to the button",
      );

      await page.locator(".log").focus();
      await page.keyboard.press("?");
      await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
      await check("the shortcuts dialog");
      await page.keyboard.press("Escape");

      await page.goto(`${parley.url}/admin/canned`);
      await page.locator('.canned-item[data-shortcut="hours"]').waitFor();
      await check("the canned replies page");
      assert.deepEqual(problems, []);
    },
  );
}
