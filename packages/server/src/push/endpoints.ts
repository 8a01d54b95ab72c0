/**
 * Which push endpoints the server will POST to. An endpoint comes from a browser, so without
 * this list an agent (or a stolen session) could aim the server at any address, internal ones
 * included. Only the real push services are allowed, over HTTPS on port 443, plus the exact
 * origins of PUSH_ENDPOINT_ORIGINS (tests, private push services).
 *
 * The check must read an endpoint exactly as the sender will. web-push sends with Node's legacy
 * `url.parse`, which reads some strings differently from WHATWG `URL` (it cuts a host at "%",
 * so `https://127.0.0.1%2epush.apple.com/` is Apple to one and loopback to the other). So only
 * the one form both agree on is accepted: the canonical URL a browser hands out (printable
 * ASCII, no backslash, lower-case host, no default port, nothing percent-encoded in the host,
 * no userinfo, no fragment), whose host, port and path come out the same from both parsers. It
 * is stored and sent byte for byte as checked.
 */
import { isIP } from "node:net";
import { parse as legacyParse } from "node:url";

/** Hosts of the browsers' push services: an exact name, or `.suffix` for any subdomain of it. */
export const PUSH_SERVICE_HOSTS: readonly string[] = [
  "fcm.googleapis.com", // Chrome, Edge on Android, Opera…
  "android.googleapis.com", // older Chrome (GCM)
  ".push.services.mozilla.com", // Firefox (autopush): updates.push.services.mozilla.com
  ".push.apple.com", // Safari: web.push.apple.com
  ".notify.windows.com", // Edge on Windows (WNS)
];

/** Printable ASCII except the backslash: WHATWG drops tabs and newlines and reads "\" as "/". */
const PLAIN_URL_CHARACTERS = /^[\x21-\x5b\x5d-\x7e]+$/;

/** A DNS name in lower case, dot-separated labels, no trailing dot. */
const DNS_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * The endpoint as both parsers read it, or undefined when it is not in the one unambiguous form
 * (see the file's comment). Used when an endpoint is saved and again right before each send.
 */
export function unambiguousEndpoint(endpoint: string): URL | undefined {
  if (!PLAIN_URL_CHARACTERS.test(endpoint) || !URL.canParse(endpoint)) return undefined;
  const url = new URL(endpoint);
  // Re-serialising changes anything not in canonical form: case, ports, dot segments, escapes.
  if (url.href !== endpoint) return undefined;
  if (url.protocol !== "https:" || url.username !== "" || url.password !== "" || url.hash !== "")
    return undefined;
  const legacy = legacyParse(endpoint);
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const sameTarget =
    legacy.protocol === "https:" &&
    legacy.auth === null &&
    legacy.hostname === hostname &&
    (legacy.port ?? "") === url.port &&
    legacy.path === `${url.pathname}${url.search}` &&
    legacy.hash === null;
  return sameTarget ? url : undefined;
}

export class PushEndpointPolicy {
  private readonly extraOrigins: ReadonlySet<string>;

  constructor(extraOrigins: readonly string[] = []) {
    this.extraOrigins = new Set(extraOrigins);
  }

  allows(endpoint: string): boolean {
    const url = unambiguousEndpoint(endpoint);
    if (url === undefined) return false;
    // The operator named these origins exactly (an address and port included).
    if (this.extraOrigins.has(url.origin)) return true;
    // URL drops the default port, and a written ":443" is not canonical: "" is 443.
    if (url.port !== "") return false;
    const host = url.hostname;
    if (!DNS_NAME.test(host) || isIP(host) !== 0 || /^\d+$/.test(host.slice(host.lastIndexOf(".") + 1)))
      return false;
    return PUSH_SERVICE_HOSTS.some((allowed) =>
      allowed.startsWith(".") ? host.endsWith(allowed) : host === allowed,
    );
  }
}
