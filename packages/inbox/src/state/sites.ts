/**
 * The sites (protocol §10) as the inbox holds them: one ordered list, kept live by
 * `site_updated`, and the few questions the list and the settings pages ask of it.
 */
import type { Conversation, Site } from "@parley/protocol";

/** The default site first, then by name: the order of the site filter and the settings list. */
export function compareSites(a: Site, b: Site): number {
  if (a.is_default !== b.is_default) return a.is_default ? -1 : 1;
  return a.name.localeCompare(b.name) || a.id - b.id;
}

/** The list after a site was created or changed (its newest copy wins, by `updated_at`). */
export function upsertSite(sites: readonly Site[], incoming: Site): readonly Site[] {
  const current = sites.find((site) => site.id === incoming.id);
  if (current !== undefined && current.updated_at > incoming.updated_at) return sites;
  const others = sites.filter((site) => site.id !== incoming.id);
  return [...others, incoming].sort(compareSites);
}

/** Only an install with several sites needs to say which one a conversation came from. */
export function severalSites(sites: readonly Site[]): boolean {
  return sites.length > 1;
}

/** The name of a conversation's site, or null where there is nothing worth saying. */
export function siteLabel(sites: readonly Site[], conversation: Conversation): string | null {
  if (!severalSites(sites)) return null;
  return sites.find((site) => site.id === conversation.site_id)?.name ?? null;
}

/** The tag a page puts on a site's widget: `<script src="…/widget.js" data-site="KEY" async>`. */
export function embedSnippet(serverOrigin: string, key: string): string {
  return `<script src="${serverOrigin}/widget.js" data-site="${key}" async></script>`;
}
