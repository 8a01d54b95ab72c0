/**
 * Availability (§15): what each choice is called, and when the inbox tells the server the agent
 * is using it (`activity`, at most every ACTIVITY_INTERVAL_MS).
 */
import type { Agent, AgentAvailability } from "@parley/protocol";

export const AVAILABILITIES: readonly AgentAvailability[] = ["online", "away", "offline"];

/** The dictionary keys of each availability's word. */
export const AVAILABILITY_KEYS = {
  online: "availabilityOnline",
  away: "availabilityAway",
  offline: "availabilityOffline",
} as const satisfies Record<AgentAvailability, string>;

export const AVAILABILITY_LABELS: Record<AgentAvailability, string> = {
  online: "Online",
  away: "Away",
  offline: "Offline",
};

/** What others see of an agent, also from a server before §15 (which sent none). */
export function availabilityOf(agent: Agent): AgentAvailability {
  return agent.availability ?? "offline";
}

/** An `agent_availability` applied to the team (and to me when it is mine). */
export function applyAvailability<T extends Agent>(
  agents: readonly T[],
  change: { agent_id: number; availability: AgentAvailability; chosen_availability: AgentAvailability },
): T[] {
  return agents.map((agent) =>
    agent.id === change.agent_id
      ? { ...agent, availability: change.availability, chosen_availability: change.chosen_availability }
      : agent,
  );
}

/**
 * Whether input now should send `activity`: never while the page is hidden, and not again
 * within `intervalMs` of the last one sent (`lastSentMs` null: none yet).
 */
export function shouldSendActivity(
  nowMs: number,
  lastSentMs: number | null,
  visible: boolean,
  intervalMs: number,
): boolean {
  if (!visible) return false;
  return lastSentMs === null || nowMs - lastSentMs >= intervalMs;
}
