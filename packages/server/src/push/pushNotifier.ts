/**
 * chat/'s AgentNotifier, done with web push: the reachable agents are those with a subscription,
 * and notifying one is enqueueing its (agent, conversation) notify job, which collapses with a
 * pending one for the same pair.
 */
import type { AgentNotifier } from "../chat/agentNotifier.js";
import type { JobQueue } from "../jobs/queue.js";
import type { Store, StoredConversation } from "../store/store.js";
import { NOTIFY_AGENT, notifyDedupeKey, type NotifyAgentPayload } from "./jobKinds.js";

export class PushNotifier implements AgentNotifier {
  constructor(
    private readonly store: Pick<Store, "listPushSubscribedAgentIds">,
    private readonly queue: JobQueue,
  ) {}

  reachableAgentIds(): Promise<number[]> {
    return this.store.listPushSubscribedAgentIds();
  }

  async notifyAgents(agentIds: number[], conversation: StoredConversation): Promise<void> {
    for (const agentId of agentIds) {
      const payload: NotifyAgentPayload = { agentId, conversationId: conversation.id };
      await this.queue.enqueue(NOTIFY_AGENT, payload, {
        dedupeKey: notifyDedupeKey(agentId, conversation.id),
      });
    }
  }
}
