/**
 * Who is connected right now: visitors by token, agents by id. One interface, two registries:
 * this process's memory (one node) and Redis (a cluster, cluster/redisPresence.ts), chosen in
 * server.ts.
 *
 * Contract: connections are counted, so a second tab does not flip anyone offline when it
 * closes. `visitorConnected`/`visitorDisconnected` resolve true only for the call that crossed
 * the line between online and offline across the whole cluster, so exactly one node announces
 * it. `onAvailabilityChange` tells this node when "any agent online" flips, whichever node
 * caused it (each node then tells its own visitors); `onAgentsChange` when any agent comes or
 * goes anywhere, for availability per site (siteAvailability.ts).
 */
export interface Presence {
  visitorConnected(token: string): Promise<boolean>;
  visitorDisconnected(token: string): Promise<boolean>;
  /** The tokens among `tokens` whose visitor is online anywhere. */
  onlineVisitors(tokens: readonly string[]): Promise<Set<string>>;
  agentConnected(agentId: number): Promise<void>;
  agentDisconnected(agentId: number): Promise<void>;
  /** Agents with the inbox open anywhere. */
  onlineAgents(): Promise<Set<number>>;
  /** The last known cluster-wide answer; kept current by the registry. */
  readonly anyAgentOnline: boolean;
  /** The agents online anywhere, as last known (as current as `anyAgentOnline`). */
  readonly knownOnlineAgents: ReadonlySet<number>;
  onAvailabilityChange(listener: (online: boolean) => void): () => void;
  /** Told after `knownOnlineAgents` changed, whichever node caused it. */
  onAgentsChange(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Counts of connections per key, reporting when a count leaves or reaches zero. */
export class ConnectionCounts<K> {
  private readonly counts = new Map<K, number>();

  /** True when this is the key's first connection. */
  add(key: K): boolean {
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return count === 1;
  }

  /** True when this was the key's last connection. */
  remove(key: K): boolean {
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count > 0) {
      this.counts.set(key, count);
      return false;
    }
    const had = this.counts.delete(key);
    return had;
  }

  has(key: K): boolean {
    return this.counts.has(key);
  }

  keys(): K[] {
    return [...this.counts.keys()];
  }

  get size(): number {
    return this.counts.size;
  }
}

/** Availability listeners, shared by both registries. */
export class AvailabilityListeners<T = boolean> {
  private readonly listeners = new Set<(value: T) => void>();

  add(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}

/** The single-node registry: this process is the whole cluster. */
export class LocalPresence implements Presence {
  private readonly visitors = new ConnectionCounts<string>();
  private readonly agents = new ConnectionCounts<number>();
  private readonly availability = new AvailabilityListeners();
  private readonly agentsChanged = new AvailabilityListeners<void>();
  private online: ReadonlySet<number> = new Set();

  async visitorConnected(token: string): Promise<boolean> {
    return this.visitors.add(token);
  }

  async visitorDisconnected(token: string): Promise<boolean> {
    return this.visitors.remove(token);
  }

  async onlineVisitors(tokens: readonly string[]): Promise<Set<string>> {
    return new Set(tokens.filter((token) => this.visitors.has(token)));
  }

  async agentConnected(agentId: number): Promise<void> {
    const wasAnyOnline = this.anyAgentOnline;
    if (!this.agents.add(agentId)) return;
    this.online = new Set(this.agents.keys());
    if (!wasAnyOnline) this.availability.emit(true);
    this.agentsChanged.emit();
  }

  async agentDisconnected(agentId: number): Promise<void> {
    if (!this.agents.remove(agentId)) return;
    this.online = new Set(this.agents.keys());
    if (this.agents.size === 0) this.availability.emit(false);
    this.agentsChanged.emit();
  }

  async onlineAgents(): Promise<Set<number>> {
    return new Set(this.agents.keys());
  }

  get anyAgentOnline(): boolean {
    return this.agents.size > 0;
  }

  get knownOnlineAgents(): ReadonlySet<number> {
    return this.online;
  }

  onAvailabilityChange(listener: (online: boolean) => void): () => void {
    return this.availability.add(listener);
  }

  onAgentsChange(listener: () => void): () => void {
    return this.agentsChanged.add(listener);
  }

  async close(): Promise<void> {}
}
