/**
 * `@username` in private notes (§15): the query being typed at the caret, the agents it matches,
 * inserting the chosen one, and finding the mentions in a note's text to show them.
 */
import type { Agent } from "@parley/protocol";

export interface MentionQuery {
  /** Where the `@` is. */
  start: number;
  /** What follows it up to the caret, lower case. */
  query: string;
}

/** Characters a username may hold (the server's rule, loosely: a mention ends at anything else). */
const NAME_CHAR = /[A-Za-z0-9_.-]/;

/** The `@word` that ends at `caret`, when the `@` starts a word; null otherwise. */
export function mentionAt(text: string, caret: number): MentionQuery | null {
  let start = caret;
  while (start > 0 && NAME_CHAR.test(text[start - 1] ?? "")) start--;
  if (start === 0 || text[start - 1] !== "@") return null;
  const at = start - 1;
  if (at > 0 && !/\s|[([{"']/.test(text[at - 1] ?? "")) return null;
  if (caret - start > 64) return null;
  return { start: at, query: text.slice(start, caret).toLowerCase() };
}

/** Agents whose username or name starts with the query (then holds it), at most `limit`. */
export function filterAgents(agents: readonly Agent[], query: string, limit = 8): Agent[] {
  const q = query.toLowerCase();
  const starts: Agent[] = [];
  const holds: Agent[] = [];
  for (const agent of agents) {
    const username = agent.username.toLowerCase();
    const words = agent.name.toLowerCase().split(/\s+/);
    if (username.startsWith(q) || words.some((word) => word.startsWith(q))) starts.push(agent);
    else if (username.includes(q) || agent.name.toLowerCase().includes(q)) holds.push(agent);
  }
  const byName = (a: Agent, b: Agent): number => a.username.localeCompare(b.username);
  return [...starts.sort(byName), ...holds.sort(byName)].slice(0, limit);
}

/** The text with `@username ` in place of the query, and where the caret goes after it. */
export function insertMention(
  text: string,
  mention: MentionQuery,
  caret: number,
  username: string,
): { text: string; caret: number } {
  const inserted = `@${username} `;
  const after = text.slice(caret).replace(/^ /, "");
  return {
    text: text.slice(0, mention.start) + inserted + after,
    caret: mention.start + inserted.length,
  };
}

export type NoteSegment = { text: string; mention?: undefined } | { text: string; mention: Agent };

/** The note's text split at `@username`s of known agents (case-insensitive), to mark them. */
export function splitMentions(text: string, agents: readonly Agent[]): NoteSegment[] {
  const byName = new Map(agents.map((agent) => [agent.username.toLowerCase(), agent]));
  const segments: NoteSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(/(^|[^A-Za-z0-9_.-])@([A-Za-z0-9_.-]+)/g)) {
    let name = match[2] ?? "";
    // "@bea." at the end of a sentence: the dot is not part of the name.
    let agent = byName.get(name.toLowerCase());
    while (agent === undefined && /[.-]$/.test(name)) {
      name = name.slice(0, -1);
      agent = byName.get(name.toLowerCase());
    }
    if (agent === undefined) continue;
    const start = match.index + (match[1] ?? "").length;
    if (start > last) segments.push({ text: text.slice(last, start) });
    segments.push({ text: `@${name}`, mention: agent });
    last = start + name.length + 1;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}
