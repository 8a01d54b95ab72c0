/**
 * Canned replies in the composer (§15): `/` at the start of a reply opens them, filtered by what
 * follows; the chosen one's variables are filled before it goes into the reply box.
 */
import type { CannedReply } from "@parley/protocol";

/** The text after a leading `/` while it is still one word (the query), or null: no list. */
export function slashQuery(text: string): string | null {
  const match = /^\/([^\s/]*)$/.exec(text);
  return match ? (match[1] ?? "").toLowerCase() : null;
}

/**
 * The replies matching `query`: shortcuts that start with it first, then shortcuts that hold it,
 * then content that holds it (ignoring case); each group in shortcut order. An empty query: all.
 */
export function filterCanned(replies: readonly CannedReply[], query: string): CannedReply[] {
  const q = query.trim().toLowerCase();
  const byShortcut = [...replies].sort((a, b) =>
    a.shortcut === b.shortcut ? a.id - b.id : a.shortcut < b.shortcut ? -1 : 1,
  );
  if (q === "") return byShortcut;
  const starts: CannedReply[] = [];
  const holds: CannedReply[] = [];
  const inContent: CannedReply[] = [];
  for (const reply of byShortcut) {
    const shortcut = reply.shortcut.toLowerCase();
    if (shortcut.startsWith(q)) starts.push(reply);
    else if (shortcut.includes(q)) holds.push(reply);
    else if (reply.content.toLowerCase().includes(q)) inContent.push(reply);
  }
  return [...starts, ...holds, ...inContent];
}

export interface CannedContext {
  /** The visitor's name; null or blank becomes empty. */
  visitorName: string | null;
  agentName: string;
  /** The conversation's site; null when unknown (the variable then stays as written). */
  siteName: string | null;
}

const VARIABLE = /\{\{\s*([a-z]+\.[a-z]+)\s*\}\}/g;

/** `{{visitor.name}}`, `{{agent.name}}`, `{{site.name}}` filled; anything else stays as written. */
export function fillVariables(content: string, context: CannedContext): string {
  return content.replace(VARIABLE, (whole, name: string) => {
    switch (name) {
      case "visitor.name":
        return context.visitorName?.trim() ?? "";
      case "agent.name":
        return context.agentName;
      case "site.name":
        return context.siteName ?? whole;
      default:
        return whole;
    }
  });
}

/** How a reply is listed: its content on one line, cut. */
export function cannedPreview(content: string, max = 80): string {
  const line = content.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The replies an agent may change: their own personal ones; shared ones when an owner. */
export function canEdit(reply: CannedReply, me: { id: number; role: string }): boolean {
  return reply.scope === "personal" ? reply.agent_id === me.id : me.role === "owner";
}
