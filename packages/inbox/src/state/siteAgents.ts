/** Who answers a site (§10): owners always; the others when the site names them or names nobody. */
import type { Agent, Site } from "@parley/protocol";

export function agentsOfSite(agents: readonly Agent[], site: Site | undefined): Agent[] {
  const ids = site?.agent_ids ?? null;
  return agents.filter((agent) => agent.role === "owner" || ids === null || ids.includes(agent.id));
}
