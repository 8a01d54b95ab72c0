/**
 * The list's filters: which conversations an agent is looking at. They map to the query of
 * `GET /conversations`, and the same rules decide whether a live update belongs in the list.
 * (§15) A state view (open, pending, snoozed, resolved, or all of them) crossed with an assignee
 * view (mine, unassigned, everyone's), and optionally one label.
 */
import type { Conversation, ConversationState } from "@parley/protocol";

export type StateView = ConversationState | "all";
export type AssigneeView = "mine" | "unassigned" | "all";

export interface ListFilter {
  state: StateView;
  assignee: AssigneeView;
  /** One label's conversations (§15), or null for any. */
  labelId: number | null;
  /** Visitor name or message text; "" for none. */
  search: string;
  /** One site's conversations (§10), or null for every site the agent answers. */
  siteId: number | null;
}

export const DEFAULT_FILTER: ListFilter = {
  state: "open",
  assignee: "all",
  labelId: null,
  search: "",
  siteId: null,
};

export const STATE_LABELS: Record<StateView, string> = {
  open: "Open",
  pending: "Pending",
  snoozed: "Snoozed",
  resolved: "Resolved",
  all: "All",
};

export const ASSIGNEE_LABELS: Record<AssigneeView, string> = {
  mine: "Mine",
  unassigned: "Unassigned",
  all: "All",
};

/** A conversation's state, also from a server before §15 (which sent only the seed's `status`). */
export function stateOf(conversation: Conversation): ConversationState {
  return conversation.state ?? (conversation.status === "closed" ? "resolved" : "open");
}

export function filterQuery(filter: ListFilter): Record<string, string> {
  const query: Record<string, string> = { state: filter.state };
  if (filter.assignee === "mine") query.assignee = "me";
  if (filter.assignee === "unassigned") query.assignee = "unassigned";
  if (filter.labelId !== null) query.label_id = String(filter.labelId);
  const search = filter.search.trim();
  if (search !== "") query.q = search;
  if (filter.siteId !== null) query.site_id = String(filter.siteId);
  return query;
}

/** State, assignee and label decide exactly; the search can only be checked against what the list holds. */
export function matchesView(conversation: Conversation, filter: ListFilter, meId: number): boolean {
  if (filter.state !== "all" && stateOf(conversation) !== filter.state) return false;
  if (filter.assignee === "mine" && conversation.assignee_id !== meId) return false;
  if (filter.assignee === "unassigned" && conversation.assignee_id !== null) return false;
  if (filter.labelId !== null && !(conversation.label_ids ?? []).includes(filter.labelId)) return false;
  return true;
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
