/**
 * Automatic assignment (protocol §15): with the owner setting `auto_assign: "round_robin"`, a new
 * conversation (its first visitor message) goes to the `online` agent of its site who has waited
 * longest since their last automatic assignment (never: first), skipping agents with
 * `auto_assign_cap` or more open or pending conversations assigned (0: no cap). Nobody eligible: it stays
 * unassigned. The assignment is the store's "only while unassigned" write, announced as any
 * assignment is (conversation_updated, webhooks), and remembered on the agent so the order
 * holds across nodes and restarts.
 */
import type { OwnerSettings } from "@parley/protocol";
import type { StoredConversation } from "../store/store.js";
import type { ChatContext } from "./context.js";

export class RoundRobin {
  constructor(
    private readonly chat: ChatContext,
    private readonly online: { readonly knownOnlineAgents: ReadonlySet<number> },
    private readonly settings: () => Readonly<OwnerSettings>,
  ) {}

  /** The conversation as assigned, or as given when the setting is off or nobody is eligible. */
  async conversationStarted(conversation: StoredConversation): Promise<StoredConversation> {
    const { auto_assign: mode, auto_assign_cap: cap } = this.settings();
    if (mode !== "round_robin" || conversation.assigneeId !== null) return conversation;
    const answering = await this.chat.teams.answering(conversation.siteId, [
      ...this.online.knownOnlineAgents,
    ]);
    let eligible = answering;
    if (cap > 0 && eligible.length > 0) {
      const counts = await this.chat.store.countActiveAssigned(eligible);
      eligible = eligible.filter((agentId) => (counts.get(agentId) ?? 0) < cap);
    }
    if (eligible.length === 0) return conversation;
    const wanted = new Set(eligible);
    const agents = (await this.chat.store.listAgents()).filter((agent) => wanted.has(agent.id));
    // Never assigned first, then the longest wait; ties by id.
    agents.sort((a, b) => {
      if (a.lastAutoAssignedAt !== b.lastAutoAssignedAt) {
        if (a.lastAutoAssignedAt === null) return -1;
        if (b.lastAutoAssignedAt === null) return 1;
        return a.lastAutoAssignedAt < b.lastAutoAssignedAt ? -1 : 1;
      }
      return a.id - b.id;
    });
    const chosen = agents[0];
    if (chosen === undefined) return conversation;
    const updated = await this.chat.store.assignIfUnassigned(conversation.id, chosen.id);
    if (updated === undefined) return conversation;
    // Strictly after every earlier turn, so two within one millisecond still rotate.
    const latest = Math.max(0, ...agents.map((agent) => Date.parse(agent.lastAutoAssignedAt ?? "") || 0));
    const at = new Date(Math.max(this.chat.now().getTime(), latest + 1));
    await this.chat.store.recordAutoAssignment(chosen.id, at.toISOString());
    await this.chat.events.assigneeChanged(updated, null);
    return updated;
  }
}
