/**
 * Which sites an agent answers (protocol §10), the one place the rule is written: owners answer
 * every site; an agent answers the sites whose team (`agent_ids`) is null, meaning everyone, or
 * names them. Everything an agent may see or do on a conversation goes through this rule.
 */
import type { AgentRole } from "@parley/protocol";

export interface SiteTeam {
  id: number;
  /** null: every agent answers the site. */
  agentIds: readonly number[] | null;
}

export interface Answerer {
  id: number;
  role: AgentRole;
}

export function answersSite(agent: Answerer, site: SiteTeam): boolean {
  return agent.role === "owner" || site.agentIds === null || site.agentIds.includes(agent.id);
}

/**
 * The sites an agent answers, as a store filter wants them: undefined for an owner (every site,
 * those created later too), else the ids of the sites among `sites` the agent answers.
 */
export function answeredSiteIds(agent: Answerer, sites: readonly SiteTeam[]): number[] | undefined {
  if (agent.role === "owner") return undefined;
  return sites.filter((site) => answersSite(agent, site)).map((site) => site.id);
}

/** What an agent may see now: a snapshot, read again for every list, action and push. */
export class SiteScope {
  private constructor(
    /** null: an agent who no longer exists, who answers nothing. */
    readonly agent: Answerer | null,
    /** undefined: every site. */
    readonly siteIds: ReadonlySet<number> | undefined,
  ) {}

  static of(agent: Answerer | undefined, sites: readonly SiteTeam[]): SiteScope {
    if (agent === undefined) return new SiteScope(null, new Set());
    const ids = answeredSiteIds(agent, sites);
    return new SiteScope(agent, ids === undefined ? undefined : new Set(ids));
  }

  /** This scope after a site changed (or was created): the site joins or leaves it. */
  updated(site: SiteTeam): SiteScope {
    if (this.siteIds === undefined || this.agent === null) return this;
    const ids = new Set(this.siteIds);
    if (answersSite(this.agent, site)) ids.add(site.id);
    else ids.delete(site.id);
    return new SiteScope(this.agent, ids);
  }

  covers(siteId: number): boolean {
    return this.siteIds === undefined || this.siteIds.has(siteId);
  }

  /**
   * The store filter's `siteIds` for this scope narrowed by `only` (a `site_id` the client asked
   * for): undefined means no narrowing, [] means nothing.
   */
  filter(only?: number): number[] | undefined {
    if (only !== undefined) return this.covers(only) ? [only] : [];
    return this.siteIds === undefined ? undefined : [...this.siteIds];
  }
}
