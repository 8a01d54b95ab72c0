/**
 * (§15) The AdminChannel's workflow actions: `set_state` and `set_labels`. Each answers through
 * the agents' stream (`conversation_updated` to every agent who sees the conversation); the
 * caller's errors answer `error` as other actions do. True when the action was one of these.
 */
import type { AgentRef } from "@parley/protocol";
import type { Chat } from "../chat/chat.js";

export async function performWorkflowAction(
  chat: Chat,
  agent: AgentRef,
  data: Record<string, unknown>,
): Promise<boolean> {
  switch (data.action) {
    case "set_state":
      await chat.workflow.setState(agent, data.conversation_id, data.state, data.snoozed_until);
      return true;
    case "set_labels":
      await chat.workflow.setLabels(agent, data.conversation_id, data.label_ids);
      return true;
    default:
      return false;
  }
}
