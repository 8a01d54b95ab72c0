/** The names and payloads of push's two job kinds, shared by whoever enqueues and handles them. */
import type { PushNotification } from "./payload.js";

/** Decide what to tell one agent about one conversation, then fan out to their browsers. */
export const NOTIFY_AGENT = "push.notify_agent";
export interface NotifyAgentPayload {
  agentId: number;
  conversationId: number;
}

/** Send one notification to one subscription (retried on its own). */
export const DELIVER_PUSH = "push.deliver";
export interface DeliverPushPayload {
  subscriptionId: number;
  notification: PushNotification;
  topic: string;
}

/** At most one pending notify job per agent and conversation: later messages ride along. */
export function notifyDedupeKey(agentId: number, conversationId: number): string {
  return `${NOTIFY_AGENT}:${agentId}:${conversationId}`;
}

export function isNotifyAgentPayload(value: unknown): value is NotifyAgentPayload {
  if (typeof value !== "object" || value === null) return false;
  const { agentId, conversationId } = value as Record<string, unknown>;
  return Number.isSafeInteger(agentId) && Number.isSafeInteger(conversationId);
}

export function isDeliverPushPayload(value: unknown): value is DeliverPushPayload {
  if (typeof value !== "object" || value === null) return false;
  const { subscriptionId, notification, topic } = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(subscriptionId) &&
    typeof topic === "string" &&
    typeof notification === "object" &&
    notification !== null &&
    typeof (notification as Record<string, unknown>).title === "string"
  );
}
