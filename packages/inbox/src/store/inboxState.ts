/** Everything the inbox screen shows, as one immutable snapshot (a new object per change). */
import type { Agent } from "@parley/protocol";
import type { LinkStatus } from "../live/adminLink.js";
import { emptyList } from "../state/conversationList.js";
import { DEFAULT_FILTER } from "../state/filters.js";
import type { LiveState } from "../state/live.js";

export interface InboxState extends LiveState {
  me: Agent;
  status: LinkStatus;
  agents: readonly Agent[];
  openId: number | null;
  /** A passing message for the agent, e.g. an action refused while offline. */
  notice: string | null;
}

export function initialState(me: Agent): InboxState {
  return {
    me,
    status: "connecting",
    agents: [me],
    openId: null,
    notice: null,
    conversations: new Map(),
    list: emptyList(DEFAULT_FILTER),
    threads: new Map(),
    typing: new Map(),
  };
}
