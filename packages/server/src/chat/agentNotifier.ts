/**
 * The port through which chat/ has agents told about a visitor's message when they are not
 * watching the inbox. push/ implements it and server.ts wires it in, so chat/ knows nothing of
 * web push. Which agents are away is decided here, in chat/ (AgentAlerts).
 */
import type { StoredConversation, StoredMessage } from "../store/store.js";

export interface AgentNotifier {
  /** The agents this notifier could reach at all (say, those with a push subscription). */
  reachableAgentIds(): Promise<number[]>;
  /**
   * Called after the message is committed and published, with the reachable agents who are not
   * watching. Runs on the visitor's send path: it must only record the work (enqueue), not do it.
   */
  notifyAgents(agentIds: number[], conversation: StoredConversation, message: StoredMessage): Promise<void>;
}
