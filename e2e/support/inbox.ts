/**
 * The inbox in a browser: building it (the server reads packages/inbox/dist when it starts),
 * logging in through its form, and handles on what an agent sees, by role and visible text.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import type { Agent } from "@parley/protocol";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
let inboxBuilt = false;

export function buildInbox(): void {
  if (inboxBuilt) return;
  const result = spawnSync(process.execPath, ["packages/inbox/build.mjs"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`inbox build failed: ${result.stderr}`);
  inboxBuilt = true;
}

export interface Credentials {
  username: string;
  password: string;
}

export async function loginInInbox(page: Page, serverUrl: string, credentials: Credentials): Promise<void> {
  await page.goto(`${serverUrl}/admin/login`);
  await page.getByLabel("Username").fill(credentials.username);
  await page.getByLabel("Password").fill(credentials.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${serverUrl}/admin/chats`);
}

/** Adds an agent over REST as the owner whose cookie is given. */
export async function addAgent(
  serverUrl: string,
  ownerCookie: string,
  agent: Credentials & { name: string },
): Promise<Agent> {
  const response = await fetch(`${serverUrl}/agents`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: ownerCookie, origin: serverUrl },
    body: JSON.stringify(agent),
  });
  if (response.status !== 201)
    throw new Error(`adding ${agent.username} failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { agent: Agent }).agent;
}

export interface InboxHandle {
  page: Page;
  /** The list row of the conversation whose visitor has this name. */
  row(visitorName: string): Locator;
  open(visitorName: string): Promise<void>;
  /** The open conversation's message bubbles (stored and pending). */
  bubbles: Locator;
  texts(): Promise<string[]>;
  composer: Locator;
  reply(text: string): Promise<void>;
  banner: Locator;
}

export function inboxIn(page: Page): InboxHandle {
  const bubbles = page.locator(".thread .messages .bubble");
  const composer = page.getByRole("textbox", { name: "Reply" });
  const row = (visitorName: string): Locator =>
    page.locator("a.row", { has: page.locator(".name", { hasText: visitorName }) });
  return {
    page,
    row,
    async open(visitorName) {
      await row(visitorName).click();
      await page.locator(".thread-head h2", { hasText: visitorName }).waitFor();
    },
    bubbles,
    texts: () => bubbles.allTextContents(),
    composer,
    async reply(text) {
      await composer.fill(text);
      await composer.press("Enter");
    },
    banner: page.locator(".banner"),
  };
}
