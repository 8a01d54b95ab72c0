/**
 * Who is connected right now: visitors by token, agents by id, counted per connection so a
 * second tab does not flip anyone offline when it closes. Each change reports whether it crossed
 * the line between online and offline, which is what gets broadcast.
 */
export class Presence {
  private readonly visitors = new Map<string, number>();
  private readonly agents = new Map<number, number>();

  /** True when this is the visitor's first connection. */
  visitorConnected(token: string): boolean {
    return increment(this.visitors, token) === 1;
  }

  /** True when this was the visitor's last connection. */
  visitorDisconnected(token: string): boolean {
    return decrement(this.visitors, token) === 0;
  }

  isVisitorOnline(token: string): boolean {
    return this.visitors.has(token);
  }

  /** True when no agent was online before. */
  agentConnected(agentId: number): boolean {
    const wasAnyOnline = this.agents.size > 0;
    increment(this.agents, agentId);
    return !wasAnyOnline;
  }

  /** True when no agent is online any more. */
  agentDisconnected(agentId: number): boolean {
    const wasAnyOnline = this.agents.size > 0;
    decrement(this.agents, agentId);
    return wasAnyOnline && this.agents.size === 0;
  }

  get anyAgentOnline(): boolean {
    return this.agents.size > 0;
  }

  isAgentOnline(agentId: number): boolean {
    return this.agents.has(agentId);
  }

  get onlineAgentIds(): number[] {
    return [...this.agents.keys()];
  }
}

function increment<K>(counts: Map<K, number>, key: K): number {
  const count = (counts.get(key) ?? 0) + 1;
  counts.set(key, count);
  return count;
}

function decrement<K>(counts: Map<K, number>, key: K): number {
  const count = (counts.get(key) ?? 0) - 1;
  if (count <= 0) counts.delete(key);
  else counts.set(key, count);
  return Math.max(count, 0);
}
