/**
 * What a browser does for the seed's frontend when it calls Parley cross-origin with
 * `fetch(url, { credentials: "include" })`: it sends the page's Origin and the cookies it holds
 * for the server, asks first (a CORS preflight) for anything beyond a simple request, keeps the
 * cookies the answers set, and hands the page an answer only when the server allowed the page's
 * origin with credentials. A refusal a browser would make rejects here too, as `fetch` does.
 *
 * SameSite is not modelled: the site and the server are same-site in the deployments this stands
 * for (www.example.com and chat.example.com, or two localhost ports in development).
 */
import assert from "node:assert/strict";

/** The request headers a page may set without a preflight (the Fetch standard's safelist). */
const SIMPLE_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];
const SIMPLE_METHODS = ["GET", "HEAD", "POST"];

export interface PageRequest {
  method?: string;
  /** Sent as `JSON.stringify`, with `Content-Type: application/json`, as the old frontend does. */
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
}

export class SiteBrowser {
  /** Cookies the browser holds for the server: name → value. */
  readonly cookies = new Map<string, string>();

  constructor(
    readonly siteOrigin: string,
    readonly serverUrl: string,
  ) {}

  /** The Cookie header the browser sends to the server (also on the cable handshake). */
  get cookieHeader(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** `fetch(serverUrl + path, { credentials: "include", ... })` from a page of the site. */
  async fetch(path: string, request: PageRequest = {}): Promise<Response> {
    const method = request.method ?? "GET";
    const headers: Record<string, string> = { ...request.headers };
    if (request.json !== undefined) headers["content-type"] = "application/json";
    const url = `${this.serverUrl}${path}`;
    const nonSimple = Object.keys(headers)
      .map((name) => name.toLowerCase())
      .filter(
        (name) =>
          name !== "content-type" || !SIMPLE_CONTENT_TYPES.includes(headers[name]!.split(";")[0]!.trim()),
      )
      .sort();
    if (!SIMPLE_METHODS.includes(method) || nonSimple.length > 0)
      await this.preflight(url, method, nonSimple);

    const cookie = this.cookieHeader;
    const response = await fetch(url, {
      method,
      headers: { ...headers, origin: this.siteOrigin, ...(cookie === undefined ? {} : { cookie }) },
      ...(request.json !== undefined
        ? { body: JSON.stringify(request.json) }
        : request.form
          ? { body: request.form }
          : {}),
    });
    this.allowedWithCredentials(response, `${method} ${path}`);
    this.keepCookies(response);
    return response;
  }

  private async preflight(url: string, method: string, headers: string[]): Promise<void> {
    const response = await fetch(url, {
      method: "OPTIONS",
      headers: {
        origin: this.siteOrigin,
        "access-control-request-method": method,
        ...(headers.length === 0 ? {} : { "access-control-request-headers": headers.join(",") }),
      },
    });
    assert.ok(response.ok, `preflight of ${method} ${url}: ${response.status}`);
    this.allowedWithCredentials(response, `preflight of ${method} ${url}`);
    const methods = listed(response.headers.get("access-control-allow-methods"));
    assert.ok(
      SIMPLE_METHODS.includes(method) || methods.includes(method.toLowerCase()),
      `preflight allows ${method}`,
    );
    const allowedHeaders = listed(response.headers.get("access-control-allow-headers"));
    for (const header of headers)
      assert.ok(allowedHeaders.includes(header), `preflight of ${method} allows ${header}`);
  }

  /** A browser hides a credentialed answer from the page unless both headers say yes. */
  private allowedWithCredentials(response: Response, what: string): void {
    assert.equal(
      response.headers.get("access-control-allow-origin"),
      this.siteOrigin,
      `${what}: Allow-Origin`,
    );
    assert.equal(
      response.headers.get("access-control-allow-credentials"),
      "true",
      `${what}: Allow-Credentials`,
    );
  }

  private keepCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = "", raw = ""] = attribute.split("=");
        const lower = key.trim().toLowerCase();
        return (
          (lower === "max-age" && Number(raw) <= 0) || (lower === "expires" && Date.parse(raw) <= Date.now())
        );
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function listed(header: string | null): string[] {
  return (header ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== "");
}
