/**
 * Which sent messages came back, and how fast: the sender's echo (`message` on VisitorChannel)
 * and every agent's `new_message`, matched by `client_id`, timed on this process's clock.
 */
export class DeliveryTracker {
  readonly echoMs: number[] = [];
  readonly agentMs: number[] = [];
  /** Anything that is not a delivery of ours: `error`, `too_fast`. */
  refusals = 0;
  firstRefusal: string | undefined;
  private readonly pending = new Map<string, { sentAt: number; echoed: boolean; agentsLeft: number }>();

  constructor(private readonly agentCount: number) {}

  get outstanding(): number {
    return this.pending.size;
  }

  sent(clientId: string, at: number): void {
    this.pending.set(clientId, { sentAt: at, echoed: false, agentsLeft: this.agentCount });
  }

  echoed(clientId: string, at: number): void {
    const entry = this.pending.get(clientId);
    if (entry === undefined || entry.echoed) return;
    entry.echoed = true;
    this.echoMs.push(at - entry.sentAt);
    if (entry.agentsLeft === 0) this.pending.delete(clientId);
  }

  reachedAgent(clientId: string, at: number): void {
    const entry = this.pending.get(clientId);
    if (entry === undefined || entry.agentsLeft === 0) return;
    entry.agentsLeft--;
    this.agentMs.push(at - entry.sentAt);
    if (entry.echoed && entry.agentsLeft === 0) this.pending.delete(clientId);
  }

  refused(what: string): void {
    this.refusals++;
    this.firstRefusal ??= what;
  }

  /** Echoes and agent deliveries still missing. */
  missing(): { echo: number; agent: number } {
    let echo = 0;
    let agent = 0;
    for (const entry of this.pending.values()) {
      if (!entry.echoed) echo++;
      agent += entry.agentsLeft;
    }
    return { echo, agent };
  }
}
