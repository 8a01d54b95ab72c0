/**
 * The broker carries committed events from the node that made them to every subscriber, on
 * this node (memory) or on all nodes (Redis, when REDIS_URL is set). Chosen once in server.ts.
 *
 * Contract: publish only after the event's data is committed; events published on one stream
 * reach each listener in publish order; a listener that throws does not stop the others.
 * Delivery is at most once. When a broker may have dropped deliveries (Redis went away and came
 * back), it says so through `onGap`, and subscribers re-read from the store what they missed;
 * clients close their own gaps with `since`.
 */
import type { AdminEvent, AgentAvailability, VisitorEvent } from "@parley/protocol";

/**
 * What processes tell each other and no client ever receives: it travels on its own stream
 * (chat/streams.ts), which no socket listens to.
 */
export type ProcessNotice =
  | { type: "sessions_ended"; session_ids: string[] }
  /** The owner's settings changed (ownerSettings.ts): every node reads them again. */
  | { type: "owner_settings_changed" }
  /** An agent was added, renamed or removed, or changed photo (teamFaces.ts): every node reads the team again. */
  | { type: "team_changed" }
  /** (§15) An agent chose an availability (availability.ts): every node derives it again. */
  | { type: "availability_chosen"; agent_id: number; availability: AgentAvailability }
  /** (§15) An agent's inboxes on `node_id` turned active or all idle (availability.ts). */
  | { type: "agent_activity"; agent_id: number; node_id: string; active: boolean };

/**
 * An agents' event about one site's conversation (protocol §10): the AdminChannel passes `event`
 * on only to agents who answer `site_id`; the envelope itself never reaches a client.
 */
export type SiteScopedEvent = { type: "for_site"; site_id: number; event: AdminEvent };

export type BrokerEvent = VisitorEvent | AdminEvent | ProcessNotice | SiteScopedEvent;

/** An event with its JSON made once, so a fan-out to many sockets serialises it once. */
export interface Publication {
  readonly event: BrokerEvent;
  readonly json: string;
}

export type Listener = (publication: Publication) => void;

export interface Broker {
  publish(stream: string, event: BrokerEvent): Promise<void>;
  /**
   * Resolves once the listener will hear every later publish (a Redis SUBSCRIBE is confirmed), so
   * a store read made after it cannot miss a message; resolves to the unsubscribe function.
   */
  subscribe(stream: string, listener: Listener): Promise<() => void>;
  /** `listener` runs after deliveries may have been lost; returns the function that removes it. */
  onGap(listener: () => void): () => void;
  /**
   * `tap` sees each publication once as it reaches this node's listeners of its stream, before
   * them (the metrics time deliveries so: once per publication, where a wrapper around every
   * subscription's listener cost each connected visitor two closures). One tap per broker.
   */
  tapDeliveries(tap: Listener): void;
  /** Whether deliveries flow now (Redis reachable); always true in one process. For metrics. */
  isConnected(): boolean;
  close(): Promise<void>;
}

/** A publication whose JSON is made on first use and then shared. */
export function publication(event: BrokerEvent): Publication {
  let json: string | undefined;
  return {
    event,
    get json() {
      return (json ??= JSON.stringify(event));
    },
  };
}
