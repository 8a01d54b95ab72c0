/**
 * Where the server may send webhooks. A webhook's URL comes from an owner, but the request goes
 * out from the server's network: without this guard a URL could reach the metadata service, a
 * database port on loopback or anything else on the private network (SSRF). So private,
 * loopback, link-local, multicast and reserved addresses are refused, and so is plain http,
 * unless the operator allows them: WEBHOOK_ALLOW_PRIVATE for every address, or
 * WEBHOOK_ALLOWED_HOSTS for named hosts (an internal receiver).
 *
 * The check runs when a URL is saved and again on every send, on the addresses the name
 * resolves to at that moment (the sender connects only to addresses that passed), so a name
 * re-pointed at 127.0.0.1 after it was saved (DNS rebinding) gets nowhere.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { MAX_WEBHOOK_URL_LENGTH } from "@parley/protocol";

export interface OutboundPolicyOptions {
  /** WEBHOOK_ALLOW_PRIVATE: every address and plain http are allowed. */
  allowPrivate: boolean;
  /** WEBHOOK_ALLOWED_HOSTS: hosts (names or addresses, lower case) exempt from both checks. */
  allowedHosts: readonly string[];
}

/** [first address, prefix length] of IPv4 ranges no webhook goes to (RFC 6890 and friends). */
const REFUSED_V4: ReadonlyArray<[string, number]> = [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata services live here)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
];

function v4ToNumber(address: string): number {
  return address.split(".").reduce((sum, part) => sum * 256 + Number(part), 0);
}

function refusedV4(address: string): boolean {
  const value = v4ToNumber(address);
  return REFUSED_V4.some(([start, bits]) => {
    const size = 2 ** (32 - bits);
    const first = v4ToNumber(start);
    return value >= first && value < first + size;
  });
}

/** The eight 16-bit groups of an IPv6 address (dotted IPv4 tails included). */
function v6Groups(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, "");
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted !== null) {
    const value = v4ToNumber(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((group) => parseInt(group, 16)));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - front.length - back.length).fill(0);
  return [...front, ...zeros, ...back];
}

function refusedV6(address: string): boolean {
  const groups = v6Groups(address);
  const [a = 0, b = 0] = groups;
  const embeddedV4 = () =>
    `${groups[6]! >>> 8}.${groups[6]! & 0xff}.${groups[7]! >>> 8}.${groups[7]! & 0xff}`;
  const firstSix = groups.slice(0, 6);
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) and 64:ff9b::a.b.c.d (NAT64) reach IPv4.
  if (firstSix.slice(0, 5).every((group) => group === 0) && (groups[5] === 0xffff || groups[5] === 0)) {
    if (groups[5] === 0 && groups[6] === 0 && (groups[7] ?? 0) <= 1) return true; // :: and ::1
    return refusedV4(embeddedV4());
  }
  if (a === 0x64 && b === 0xff9b && groups.slice(2, 6).every((group) => group === 0))
    return refusedV4(embeddedV4());
  if ((a & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0) return true; // link-local, site-local
  if ((a & 0xff00) === 0xff00) return true; // multicast
  if (a === 0x2001 && b === 0x0db8) return true; // documentation
  if (a === 0x0100 && groups.slice(1, 4).every((group) => group === 0)) return true; // discard
  return false;
}

/** True for an address no webhook may reach without the operator's leave. */
export function isRefusedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refusedV4(address);
  if (family === 6) return refusedV6(address);
  return true;
}

export class OutboundPolicy {
  private readonly allowedHosts: ReadonlySet<string>;

  constructor(private readonly options: OutboundPolicyOptions) {
    this.allowedHosts = new Set(options.allowedHosts.map((host) => host.toLowerCase()));
  }

  /** Whether the operator lifted the checks for this URL's host. */
  private exempt(url: URL): boolean {
    return this.options.allowPrivate || this.allowedHosts.has(hostOf(url));
  }

  /**
   * What is wrong with a URL before any name is resolved: the form (http(s), no credentials, no
   * fragment, not too long), plain http, an address literal in a refused range.
   */
  formProblem(raw: string): string | undefined {
    if (raw.length > MAX_WEBHOOK_URL_LENGTH) return `url is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`;
    if (!URL.canParse(raw)) return "url is not a URL";
    const url = new URL(raw);
    if (url.protocol !== "https:" && url.protocol !== "http:") return "url must be an https:// URL";
    if (url.username !== "" || url.password !== "") return "url must not carry a user name or password";
    if (url.hash !== "") return "url must not have a #fragment";
    if (this.exempt(url)) return undefined;
    if (url.protocol !== "https:")
      return "url must be https:// (plain http needs WEBHOOK_ALLOW_PRIVATE or WEBHOOK_ALLOWED_HOSTS)";
    const host = hostOf(url);
    if (isIP(host) !== 0 && isRefusedAddress(host)) return refusedMessage(host);
    return undefined;
  }

  /** formProblem, then the addresses the name resolves to now (all must be allowed). */
  async problem(raw: string): Promise<string | undefined> {
    const form = this.formProblem(raw);
    if (form !== undefined) return form;
    const url = new URL(raw);
    const host = hostOf(url);
    if (this.exempt(url) || isIP(host) !== 0) return undefined;
    let addresses: LookupAddress[];
    try {
      addresses = await new Promise((resolve, reject) =>
        dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
      );
    } catch {
      return `url's host ${host} does not resolve`;
    }
    const refused = addresses.find((entry) => isRefusedAddress(entry.address));
    return refused === undefined ? undefined : refusedMessage(`${host} (${refused.address})`);
  }

  /**
   * A `lookup` for the sender's connections that resolves as usual and fails when any address
   * is refused, so a socket only ever connects to an address that passed (address literals skip
   * lookup: formProblem, run right before, checks those). Undefined for an exempt host.
   */
  lookupFor(url: URL): typeof dnsLookup | undefined {
    return this.exempt(url) ? undefined : this.guardedLookup;
  }

  /** The one guarded lookup (lookupFor): the same function for every URL it applies to. */
  private readonly guardedLookup = guardedLookup();
}

/** A lookup that resolves every address of the name and fails when any of them is refused. */
function guardedLookup(): typeof dnsLookup {
  const guarded = (
    hostname: string,
    options: LookupOptions,
    callback: (
      error: NodeJS.ErrnoException | null,
      address: string | LookupAddress[],
      family?: number,
    ) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.find((entry) => isRefusedAddress(entry.address));
      if (refused !== undefined) {
        const denied: NodeJS.ErrnoException = new Error(refusedMessage(`${hostname} (${refused.address})`));
        denied.code = "EWEBHOOKADDRESS";
        return callback(denied, []);
      }
      if (options.all === true) return callback(null, addresses);
      const first = addresses[0];
      if (first === undefined) return callback(new Error(`${hostname} has no address`), []);
      callback(null, first.address, first.family);
    });
  };
  return guarded as unknown as typeof dnsLookup;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
}

function refusedMessage(what: string): string {
  return `url points at a private, loopback or reserved address: ${what} (allow it with WEBHOOK_ALLOW_PRIVATE or WEBHOOK_ALLOWED_HOSTS)`;
}
