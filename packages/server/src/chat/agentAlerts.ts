/**
 * Decides who hears about a visitor's message while not watching: the reachable agents who
 * answer the conversation's site (siteScope.ts) with no inbox open (no live AdminChannel
 * connection) on any node, as Presence counts them. An agent with the inbox open is told live
 * and gets nothing more.
 */
import type { Logger } from "pino";
import type { StoredConversation, StoredMessage } from "../store/store.js";
import type { AgentNotifier } from "./agentNotifier.js";
import type { Presence } from "./presence.js";
import type { SiteTeams } from "./siteTeams.js";

export class AgentAlerts {
  constructor(
    private readonly presence: Pick<Presence, "onlineAgents">,
    private readonly teams: Pick<SiteTeams, "answering">,
    private readonly notifier: AgentNotifier | undefined,
    private readonly logger: Logger,
  ) {}

  /** Never throws: the message is stored and sent already; a missed alert must not undo that. */
  async visitorMessagePosted(conversation: StoredConversation, message: StoredMessage): Promise<void> {
    if (this.notifier === undefined) return;
    try {
      const reachable = await this.notifier.reachableAgentIds();
      if (reachable.length === 0) return;
      const watching = await this.presence.onlineAgents();
      const away = await this.teams.answering(
        conversation.siteId,
        reachable.filter((agentId) => !watching.has(agentId)),
      );
      if (away.length > 0) await this.notifier.notifyAgents(away, conversation, message);
    } catch (error) {
      this.logger.error({ err: error, conversation: conversation.id }, "alerting away agents failed");
    }
  }
}

/**
 * Whether the agent has the inbox open on any node; such an agent is not sent pushes. Asked again
 * when a push is about to go out: the agent may have opened the inbox since.
 */
export async function isWatchingInbox(
  presence: Pick<Presence, "onlineAgents">,
  agentId: number,
): Promise<boolean> {
  return (await presence.onlineAgents()).has(agentId);
}
