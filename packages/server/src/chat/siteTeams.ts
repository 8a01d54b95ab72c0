/**
 * The team rule (siteScope.ts) read from the store: an agent's scope now, and who answers a
 * site. Nothing is cached: a change an owner makes to a site's team holds from the next list,
 * action or push on, on every node.
 */
import type { Store } from "../store/store.js";
import { answersSite, SiteScope } from "./siteScope.js";

export class SiteTeams {
  constructor(private readonly store: Pick<Store, "getAgent" | "listAgents" | "listSites" | "getSite">) {}

  async scopeOf(agentId: number): Promise<SiteScope> {
    const agent = await this.store.getAgent(agentId);
    // An owner's scope needs no sites; an agent's needs them all (they are few).
    return SiteScope.of(
      agent,
      agent === undefined || agent.role === "owner" ? [] : await this.store.listSites(),
    );
  }

  /** Whether the agent answers the site now. */
  async answers(agentId: number, siteId: number): Promise<boolean> {
    return (await this.scopeOf(agentId)).covers(siteId);
  }

  /** Those of `agentIds` who answer the site. */
  async answering(siteId: number, agentIds: readonly number[]): Promise<number[]> {
    if (agentIds.length === 0) return [];
    const site = await this.store.getSite(siteId);
    if (site === undefined) return [];
    const wanted = new Set(agentIds);
    const agents = (await this.store.listAgents()).filter((agent) => wanted.has(agent.id));
    return agents.filter((agent) => answersSite(agent, site)).map((agent) => agent.id);
  }
}
