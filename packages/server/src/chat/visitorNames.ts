/**
 * A visitor may not go by an agent's name: in the inbox a conversation from "Ada" would read as
 * one of the team's, and a visitor could pose as the agent to other agents. Such a name is kept
 * but marked, "Ada (visitor)", rather than refused: the widget (or the host page) sends the same
 * name with every message, so a refusal would stop a visitor who happens to share an agent's
 * name from writing at all.
 */
import { MAX_VISITOR_NAME_LENGTH } from "@parley/protocol";

const MARK = " (visitor)";

/**
 * How names are compared: compatibility forms folded (full-width letters, ligatures), invisible
 * characters dropped (soft hyphens, joiners, tags), spaces collapsed, case ignored.
 */
export function nameKey(name: string): string {
  return name
    .normalize("NFKC")
    .replace(/\p{Default_Ignorable_Code_Point}/gu, "")
    .replace(/\s+/gu, " ")
    .trim()
    .toLowerCase();
}

/**
 * The name as the visitor may show it, given the team's display names; undefined when even the
 * marked one is taken (an agent called "Ada (visitor)"): the stored name is then kept.
 */
export function visitorNameBeside(name: string, agentNames: readonly string[]): string | undefined {
  const taken = new Set(agentNames.map(nameKey));
  if (!taken.has(nameKey(name))) return name;
  const marked = `${[...name]
    .slice(0, MAX_VISITOR_NAME_LENGTH - MARK.length)
    .join("")
    .trimEnd()}${MARK}`;
  return taken.has(nameKey(marked)) ? undefined : marked;
}
