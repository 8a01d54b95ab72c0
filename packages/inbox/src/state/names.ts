/** How people are named on screen. */
import type { Agent, Conversation, Message } from "@parley/protocol";
import { messages } from "../i18n/index.js";

/** Visitors without a name get a stable one from their conversation's number. */
export function visitorLabel(conversation: Pick<Conversation, "id" | "visitor_name">): string {
  const name = conversation.visitor_name?.trim();
  return name ? name : messages().visitorNumber(conversation.id);
}

export function agentLabel(agents: readonly Agent[], agentId: number | null, meId: number): string {
  if (agentId === null) return messages().unassigned;
  if (agentId === meId) return messages().you;
  return agents.find((agent) => agent.id === agentId)?.name ?? messages().agentNumber(agentId);
}

/** Who wrote a message, for previews: "You", an agent's name, or "" for the visitor. */
export function authorLabel(message: Message, meId: number): string {
  if (message.sender === "visitor") return "";
  if (message.agent?.id === meId) return messages().you;
  return message.agent?.name || messages().agent;
}
