/**
 * Whether each site's team is there (protocol §10): a site is online when an agent who answers
 * it (siteScope.ts) has the inbox open anywhere; owners count for every site. Visitors hear it as
 * `availability` and read it in the widget's config as `agents_online`.
 *
 * Answered from memory, so a visitor's subscription and every flip cost no query: the online
 * agents come from Presence (every node hears every change), the sites' teams and the agents'
 * roles from the store, read at start; a site's new team comes with its `site_updated` on the
 * agents' stream (every node hears it), an agent not seen before is read when they come online.
 */
import type { AgentRole } from "@parley/protocol";
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import type { Store } from "../store/store.js";
import { AvailabilityListeners, type Presence } from "./presence.js";
import { answersSite, type SiteTeam } from "./siteScope.js";
import { AGENTS_STREAM } from "./streams.js";

export class SiteAvailability {
  private readonly teams = new Map<number, SiteTeam>();
  private readonly roles = new Map<number, AgentRole>();
  private readonly last = new Map<number, boolean>();
  private readonly listeners = new Map<number, AvailabilityListeners>();
  private readonly stopListening: Array<() => void> = [];

  constructor(
    private readonly presence: Pick<Presence, "knownOnlineAgents" | "onAgentsChange">,
    private readonly store: Pick<Store, "listSites" | "listAgents" | "getSite">,
    private readonly broker: Pick<Broker, "subscribe">,
    private readonly logger: Logger,
  ) {}

  /** Follows Presence and the sites' changes, then reads them. Before the node takes visitors. */
  async start(): Promise<void> {
    this.stopListening.push(
      this.presence.onAgentsChange(() => this.agentsChanged()),
      await this.broker.subscribe(AGENTS_STREAM, ({ event }) => {
        if (event.type === "site_updated" && "site" in event)
          this.siteChanged({ id: event.site.id, agentIds: event.site.agent_ids });
      }),
    );
    await Promise.all([this.loadSites(), this.loadAgents()]);
    this.recompute();
  }

  stop(): void {
    for (const stop of this.stopListening.splice(0)) stop();
    this.listeners.clear();
  }

  /** Whether an agent of the site is online now; a site not known yet is read first. */
  async online(siteId: number): Promise<boolean> {
    if (!this.teams.has(siteId)) {
      const site = await this.store.getSite(siteId);
      if (site === undefined) return false;
      this.teams.set(site.id, { id: site.id, agentIds: site.agentIds });
    }
    return this.compute(siteId);
  }

  /** Reads the site's team again (it just changed here), then answers as online() does. */
  async reread(siteId: number): Promise<boolean> {
    const site = await this.store.getSite(siteId);
    if (site === undefined) return false;
    this.siteChanged(site);
    return this.compute(siteId);
  }

  /** Tells `listener` each time the site's availability flips; returns the unsubscribe. */
  onChange(siteId: number, listener: (online: boolean) => void): () => void {
    let listeners = this.listeners.get(siteId);
    if (listeners === undefined) this.listeners.set(siteId, (listeners = new AvailabilityListeners()));
    const remove = listeners.add(listener);
    return () => void remove();
  }

  /** A site was created or its team changed (on any node): availability follows at once. */
  siteChanged(site: SiteTeam): void {
    this.teams.set(site.id, { id: site.id, agentIds: site.agentIds === null ? null : [...site.agentIds] });
    this.recompute();
  }

  /** An agent was added or changed: their role counts from now on. */
  agentChanged(agent: { id: number; role: AgentRole }): void {
    this.roles.set(agent.id, agent.role);
    this.recompute();
  }

  private agentsChanged(): void {
    const unknown = [...this.presence.knownOnlineAgents].some((id) => !this.roles.has(id));
    if (!unknown) {
      this.recompute();
      return;
    }
    // An agent added since the start (on any node): read their role, then decide.
    this.loadAgents()
      .then(() => this.recompute())
      .catch((error: unknown) =>
        this.logger.error({ err: error }, "reading the team for availability failed"),
      );
  }

  private async loadSites(): Promise<void> {
    for (const site of await this.store.listSites())
      this.teams.set(site.id, { id: site.id, agentIds: site.agentIds });
  }

  private async loadAgents(): Promise<void> {
    for (const agent of await this.store.listAgents()) this.roles.set(agent.id, agent.role);
  }

  private compute(siteId: number): boolean {
    const site = this.teams.get(siteId);
    if (site === undefined) return false;
    for (const id of this.presence.knownOnlineAgents) {
      const role = this.roles.get(id);
      if (role !== undefined && answersSite({ id, role }, site)) return true;
    }
    return false;
  }

  private recompute(): void {
    for (const siteId of this.teams.keys()) {
      const online = this.compute(siteId);
      if (this.last.get(siteId) === online) continue;
      this.last.set(siteId, online);
      this.listeners.get(siteId)?.emit(online);
    }
  }
}
