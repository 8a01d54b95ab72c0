/**
 * Which push endpoints the server will POST to. An endpoint comes from a browser, so without
 * this list an agent (or a stolen session) could aim the server at any address, internal ones
 * included. Only the real push services are allowed, over HTTPS on port 443, plus the exact
 * origins of PUSH_ENDPOINT_ORIGINS (tests, private push services).
 */

/** Hosts of the browsers' push services: an exact name, or `.suffix` for any subdomain of it. */
export const PUSH_SERVICE_HOSTS: readonly string[] = [
  "fcm.googleapis.com", // Chrome, Edge on Android, Opera…
  "android.googleapis.com", // older Chrome (GCM)
  ".push.services.mozilla.com", // Firefox (autopush): updates.push.services.mozilla.com
  ".push.apple.com", // Safari: web.push.apple.com
  ".notify.windows.com", // Edge on Windows (WNS)
];

export class PushEndpointPolicy {
  private readonly extraOrigins: ReadonlySet<string>;

  constructor(extraOrigins: readonly string[] = []) {
    this.extraOrigins = new Set(extraOrigins);
  }

  allows(endpoint: string): boolean {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return false;
    }
    if (url.protocol !== "https:" || url.username !== "" || url.password !== "") return false;
    if (this.extraOrigins.has(url.origin)) return true;
    // URL drops a default port, so "" is 443 whether it was written or not.
    if (url.port !== "") return false;
    const host = url.hostname;
    return PUSH_SERVICE_HOSTS.some((allowed) =>
      allowed.startsWith(".") ? host.endsWith(allowed) : host === allowed,
    );
  }
}
