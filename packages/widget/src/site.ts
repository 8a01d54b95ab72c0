/**
 * Which of the server's sites (protocol §10) this widget belongs to: its public key, from
 * `ParleySettings.site` or the tag's `data-site`. It names the site on every request, as
 * `?site=KEY` on HTTP and `site` in the VisitorChannel identifier; without one, the requests are
 * exactly those of a widget from before sites (the default site).
 */
import { SITE_KEY_PATTERN } from "@parley/protocol";

/**
 * The key, undefined when none is given, or null when one is given that is no key (a blank
 * `data-site` included: a template that left it empty must not land on the default site).
 */
export function pickSite(tag: string | undefined, settings: unknown): string | undefined | null {
  const set: unknown =
    typeof settings === "object" && settings !== null ? (settings as { site?: unknown }).site : undefined;
  const value = set ?? tag;
  if (value === undefined) return undefined;
  return typeof value === "string" && SITE_KEY_PATTERN.test(value) ? value : null;
}

/** `url` with `?site=KEY` when there is a site. */
export function withSite(url: string, site: string | undefined): string {
  return site ? `${url}?site=${encodeURIComponent(site)}` : url;
}
