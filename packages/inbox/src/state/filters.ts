/**
 * The list's filters: which conversations an agent is looking at. They map to the query of
 * `GET /conversations`, and the same rules decide whether a live update belongs in the list.
 */
import type { Conversation } from "@parley/protocol";

/** "mine" and "unassigned" are work still to do, so they show open conversations only. */
export type ListView = "open" | "closed" | "mine" | "unassigned";

export interface ListFilter {
  view: ListView;
  /** Visitor name or message text; "" for none. */
  search: string;
  /** One site's conversations (§10), or null for every site the agent answers. */
  siteId: number | null;
}

export const DEFAULT_FILTER: ListFilter = { view: "open", search: "", siteId: null };

export const VIEW_LABELS: Record<ListView, string> = {
  open: "Open",
  closed: "Closed",
  mine: "Mine",
  unassigned: "Unassigned",
};

export function filterQuery(filter: ListFilter): Record<string, string> {
  const query: Record<string, string> = { status: filter.view === "closed" ? "closed" : "open" };
  if (filter.view === "mine") query.assignee = "me";
  if (filter.view === "unassigned") query.assignee = "unassigned";
  const search = filter.search.trim();
  if (search !== "") query.q = search;
  if (filter.siteId !== null) query.site_id = String(filter.siteId);
  return query;
}

/** Status and assignee decide exactly; the search can only be checked against what the list holds. */
export function matchesView(conversation: Conversation, view: ListView, meId: number): boolean {
  switch (view) {
    case "open":
      return conversation.status === "open";
    case "closed":
      return conversation.status === "closed";
    case "mine":
      return conversation.status === "open" && conversation.assignee_id === meId;
    case "unassigned":
      return conversation.status === "open" && conversation.assignee_id === null;
  }
}

export function matchesSite(conversation: Conversation, siteId: number | null): boolean {
  return siteId === null || conversation.site_id === siteId;
}

/**
 * Whether a conversation we have not listed yet visibly matches the search: its name or its
 * latest message. (An older message may match too; the server's search finds those.)
 */
export function visiblyMatchesSearch(conversation: Conversation, search: string): boolean {
  const needle = search.trim().toLowerCase();
  if (needle === "") return true;
  const haystacks = [conversation.visitor_name ?? "", conversation.latest_message?.content ?? ""];
  return haystacks.some((text) => text.toLowerCase().includes(needle));
}
