/** Everything the inbox screen shows, as one immutable snapshot (a new object per change). */
import type { Agent, Label, Site, ViewCounts } from "@parley/protocol";
import type { LinkStatus } from "../live/adminLink.js";
import { emptyList } from "../state/conversationList.js";
import { DEFAULT_FILTER } from "../state/filters.js";
import type { LiveState } from "../state/live.js";
import type { ContextEntry } from "../state/visitorContext.js";

export interface InboxState extends LiveState {
  me: Agent;
  status: LinkStatus;
  agents: readonly Agent[];
  /** The sites the agent answers (an owner: all, archived too), in the order the pages show them. */
  sites: readonly Site[];
  /** GET /sites has answered once (an empty list before then says nothing). */
  sitesLoaded: boolean;
  openId: number | null;
  /** A passing message for the agent, e.g. an action refused while offline. */
  notice: string | null;
  /** GET /conversations/:id/context answers, per conversation looked at (§12). */
  contexts: ReadonlyMap<number, ContextEntry>;
  /** (§15) The labels the owners defined, by name; kept live by `labels_updated`. */
  labels: readonly Label[];
  /** (§15) Open and pending conversations per assignee view; null until the server says. */
  viewCounts: ViewCounts | null;
}

export function initialState(me: Agent): InboxState {
  return {
    me,
    status: "connecting",
    agents: [me],
    sites: [],
    sitesLoaded: false,
    openId: null,
    notice: null,
    conversations: new Map(),
    list: emptyList(DEFAULT_FILTER),
    threads: new Map(),
    typing: new Map(),
    livePages: new Map(),
    contexts: new Map(),
    labels: [],
    viewCounts: null,
  };
}
