/**
 * Agents' availability (protocol §15). Each agent chooses `online`, `away` or `offline` (stored,
 * remembered across sessions); what everyone sees is derived:
 *
 * - `offline` when they chose it, or when no inbox of theirs is connected anywhere (Presence);
 * - `away` when they chose it, or when every connected inbox sent no `activity` for the owner's
 *   `away_after_idle_minutes` (0: never);
 * - `online` otherwise.
 *
 * Cheap by design: activity is kept in this node's memory, per connection. A node tells the
 * others only when one of its agents flips between "an inbox here is active" and "none is"
 * (AVAILABILITY_STREAM), so every node knows, per agent, which nodes hold an active inbox of
 * theirs; a chosen availability is told the same way. Every node derives the same answer from
 * the same inputs and tells its own sockets (`changed`), so nothing is announced twice. A node
 * that dies with an active inbox leaves its mark until the agent has no inbox anywhere (then
 * every mark of theirs is dropped): at worst such an agent shows online while idle elsewhere.
 */
import { randomUUID } from "node:crypto";
import type { AgentAvailability } from "@parley/protocol";
import type { Logger } from "pino";
import type { Broker } from "../broker/broker.js";
import { Signal } from "../signal.js";
import type { Store, StoredAgent } from "../store/store.js";
import { invalid, notFound } from "./errors.js";
import { AvailabilityListeners, type Presence } from "./presence.js";
import { AVAILABILITY_STREAM } from "./streams.js";

/** How often idleness is looked at; an agent turns away at most this late. */
const SWEEP_INTERVAL_MS = 15_000;

export interface AvailabilityChange {
  agentId: number;
  availability: AgentAvailability;
  chosen: AgentAvailability;
}

export function checkAvailability(value: unknown): AgentAvailability {
  if (value === "online" || value === "away" || value === "offline") return value;
  throw invalid('availability must be "online", "away" or "offline"');
}

export interface AvailabilityOptions {
  presence: Pick<Presence, "knownOnlineAgents" | "onAgentsChange">;
  store: Pick<Store, "listAgents" | "setChosenAvailability">;
  broker: Pick<Broker, "publish" | "subscribe">;
  /** The owner setting `away_after_idle_minutes`, read at each look. */
  idleMinutes: () => number;
  now: () => Date;
  logger: Logger;
}

export class Availability {
  /** An agent's availability changed (as others see it, or as chosen), on any node. */
  readonly changed = new Signal<AvailabilityChange>();
  private readonly nodeId = randomUUID();
  private readonly chosen = new Map<number, AgentAvailability>();
  private readonly announced = new Map<number, AvailabilityChange>();
  /** This node's inboxes: per agent, per connection, when it was last active (epoch ms). */
  private readonly local = new Map<number, Map<object, number>>();
  /** The agents with an active inbox on this node, as last told to the others. */
  private readonly activeHere = new Set<number>();
  /** Per agent, the nodes that hold an active inbox of theirs. */
  private readonly activeNodes = new Map<number, Set<string>>();
  private readonly onlineChanged = new AvailabilityListeners<void>();
  private online: ReadonlySet<number> = new Set();
  private readonly stops: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  /** Before the first look, nothing is a change to tell. */
  private started = false;

  constructor(private readonly options: AvailabilityOptions) {}

  /** Follows Presence and the other nodes, then reads what agents chose. Before taking agents. */
  async start(): Promise<void> {
    this.stops.push(
      this.options.presence.onAgentsChange(() => this.recompute()),
      await this.options.broker.subscribe(AVAILABILITY_STREAM, ({ event }) => {
        if (event.type === "availability_chosen") {
          this.chosen.set(event.agent_id, event.availability);
          this.recompute();
        } else if (event.type === "agent_activity") {
          this.markNode(event.agent_id, event.node_id, event.active);
          this.recompute();
        }
      }),
    );
    for (const agent of await this.options.store.listAgents())
      this.chosen.set(agent.id, agent.chosenAvailability);
    this.recompute();
    this.started = true;
    this.timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    for (const stop of this.stops.splice(0)) stop();
  }

  /** What others see of the agent now (their stored choice, the connections known here). */
  of(agent: Pick<StoredAgent, "id" | "chosenAvailability">): AgentAvailability {
    return this.derive(agent.id, agent.chosenAvailability);
  }

  /** The agents whose availability is `online` now. */
  get knownOnlineAgents(): ReadonlySet<number> {
    return this.online;
  }

  /** Told after `knownOnlineAgents` changed (Presence's shape, for siteAvailability.ts). */
  onAgentsChange(listener: () => void): () => void {
    return this.onlineChanged.add(listener);
  }

  /** An inbox of the agent connected here; it counts as active from now. */
  connected(agentId: number, connection: object): void {
    let connections = this.local.get(agentId);
    if (connections === undefined) this.local.set(agentId, (connections = new Map<object, number>()));
    connections.set(connection, this.options.now().getTime());
    this.look(agentId);
  }

  disconnected(agentId: number, connection: object): void {
    const connections = this.local.get(agentId);
    if (connections === undefined) return;
    connections.delete(connection);
    if (connections.size === 0) this.local.delete(agentId);
    this.look(agentId);
  }

  /** The agent used this inbox (the `activity` action). */
  activity(agentId: number, connection: object): void {
    const connections = this.local.get(agentId);
    if (connections === undefined || !connections.has(connection)) return;
    connections.set(connection, this.options.now().getTime());
    this.look(agentId);
  }

  /** Stores the agent's choice and tells every node; the agent as stored. */
  async choose(agentId: number, value: unknown): Promise<StoredAgent> {
    const availability = checkAvailability(value);
    const agent = await this.options.store.setChosenAvailability(agentId, availability);
    if (agent === undefined) throw notFound("Agent");
    this.chosen.set(agentId, availability);
    this.recompute();
    await this.options.broker.publish(AVAILABILITY_STREAM, {
      type: "availability_chosen",
      agent_id: agentId,
      availability,
    });
    return agent;
  }

  /** Looks at every inbox here for idleness (the timer; tests after moving the clock). */
  sweep(): void {
    for (const agentId of new Set([...this.local.keys(), ...this.activeHere])) this.look(agentId);
    this.recompute();
  }

  /** Whether an inbox of the agent here was active within the idle time; tells the others of a flip. */
  private look(agentId: number): void {
    const connections = this.local.get(agentId);
    const idleMs = this.options.idleMinutes() * 60_000;
    const now = this.options.now().getTime();
    const active =
      connections !== undefined &&
      [...connections.values()].some((last) => idleMs === 0 || now - last < idleMs);
    if (active === this.activeHere.has(agentId)) return;
    if (active) this.activeHere.add(agentId);
    else this.activeHere.delete(agentId);
    this.markNode(agentId, this.nodeId, active);
    this.recompute();
    this.options.broker
      .publish(AVAILABILITY_STREAM, {
        type: "agent_activity",
        agent_id: agentId,
        node_id: this.nodeId,
        active,
      })
      .catch((error: unknown) =>
        this.options.logger.error({ err: error }, "telling an agent's activity failed"),
      );
  }

  private markNode(agentId: number, nodeId: string, active: boolean): void {
    let nodes = this.activeNodes.get(agentId);
    if (active) {
      if (nodes === undefined) this.activeNodes.set(agentId, (nodes = new Set()));
      nodes.add(nodeId);
    } else if (nodes !== undefined) {
      nodes.delete(nodeId);
      if (nodes.size === 0) this.activeNodes.delete(agentId);
    }
  }

  private derive(agentId: number, chosen: AgentAvailability): AgentAvailability {
    if (chosen === "offline" || !this.options.presence.knownOnlineAgents.has(agentId)) return "offline";
    if (chosen === "away") return "away";
    if (this.options.idleMinutes() === 0) return "online";
    return this.activeNodes.has(agentId) ? "online" : "away";
  }

  /** Derives everyone's availability again; tells each change, and the online set's. */
  private recompute(): void {
    const connected = this.options.presence.knownOnlineAgents;
    // Nobody's inbox anywhere: a dead node's marks of theirs go.
    for (const agentId of [...this.activeNodes.keys()])
      if (!connected.has(agentId) && !this.local.has(agentId)) this.activeNodes.delete(agentId);
    const agentIds = new Set([...this.chosen.keys(), ...connected, ...this.announced.keys()]);
    const online = new Set<number>();
    const changes: AvailabilityChange[] = [];
    for (const agentId of agentIds) {
      const chosen = this.chosen.get(agentId) ?? "online";
      const availability = this.derive(agentId, chosen);
      if (availability === "online") online.add(agentId);
      // An agent first seen after the start (added since) was offline, as chosen by default.
      const before = this.announced.get(agentId) ?? { agentId, availability: "offline", chosen: "online" };
      if (before.availability === availability && before.chosen === chosen) continue;
      const change = { agentId, availability, chosen };
      this.announced.set(agentId, change);
      if (this.started) changes.push(change);
    }
    const onlineMoved =
      online.size !== this.online.size || [...online].some((agentId) => !this.online.has(agentId));
    if (onlineMoved) this.online = online;
    for (const change of changes) this.changed.emit(change);
    if (onlineMoved) this.onlineChanged.emit();
  }
}
