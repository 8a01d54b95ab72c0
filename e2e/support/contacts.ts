/**
 * What the contacts tests (§12) share: an owner's requests, a site's identity secret and the hash
 * a site's back end makes with it, and what a visitor's page keeps and says.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import type { Page } from "playwright-core";
import type {
  ConversationContextResponse,
  CreateSiteRequest,
  IdentitySecretResponse,
  Site,
  SiteResponse,
} from "@parley/protocol";

/** An owner's (or agent's) request over HTTP with the login cookie, as the inbox makes it. */
export async function asAgent<T>(
  serverUrl: string,
  cookie: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${serverUrl}${path}`, {
    method,
    headers: {
      origin: serverUrl,
      cookie,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function createSite(
  serverUrl: string,
  cookie: string,
  request: CreateSiteRequest,
): Promise<Site> {
  return (await asAgent<SiteResponse>(serverUrl, cookie, "POST", "/sites", request)).site;
}

/** The site's identity secret, as an owner reads it in the inbox's site settings. */
export async function identitySecret(serverUrl: string, cookie: string, siteId: number): Promise<string> {
  return (await asAgent<IdentitySecretResponse>(serverUrl, cookie, "GET", `/sites/${siteId}/identity`))
    .secret;
}

/** What a site's back end computes for a user: HMAC-SHA256 of the id, hex. */
export function identityHash(secret: string, userId: string): string {
  return createHmac("sha256", secret).update(userId).digest("hex");
}

export async function contextOf(
  serverUrl: string,
  cookie: string,
  conversationId: number,
): Promise<ConversationContextResponse> {
  return asAgent(serverUrl, cookie, "GET", `/conversations/${conversationId}/context`);
}

/** The visitor token the widget of site `key` keeps in this page's browser. */
export function storedToken(page: Page, key: string): Promise<string | null> {
  return page.evaluate((storageKey) => localStorage.getItem(storageKey), `parley.token.${key}`);
}

/** The page's console errors, as they come. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return errors;
}
