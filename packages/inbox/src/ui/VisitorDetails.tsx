/** Who the agent is talking to: name, presence, first and last seen, and who handles it. */
import type { Conversation } from "@parley/protocol";
import { agentLabel, visitorLabel } from "../state/names.js";
import { fullTime, relativeTime } from "../state/relativeTime.js";
import { useInbox, useNow } from "./useInbox.js";

export function VisitorDetails({ conversation }: { conversation: Conversation }) {
  const me = useInbox((state) => state.me);
  const agents = useInbox((state) => state.agents);
  const now = useNow(30_000);
  const lastSeen = conversation.visitor_last_seen_at;
  return (
    <aside class="details" aria-label="Visitor details">
      <h3>Visitor</h3>
      <dl>
        <dt>Name</dt>
        <dd>{visitorLabel(conversation)}</dd>
        <dt>Status</dt>
        <dd>
          <span class={`dot${conversation.visitor_online ? " on" : ""}`} aria-hidden="true" />{" "}
          {conversation.visitor_online ? "Online now" : "Offline"}
        </dd>
        <dt>First seen</dt>
        <dd title={fullTime(conversation.created_at)}>{fullTime(conversation.created_at)}</dd>
        <dt>Last seen</dt>
        <dd>
          {conversation.visitor_online ? (
            "Now"
          ) : lastSeen ? (
            <time dateTime={lastSeen} title={fullTime(lastSeen)}>
              {relativeTime(lastSeen, now)}
              {relativeTime(lastSeen, now) === "now" ? "" : " ago"}
            </time>
          ) : (
            "Unknown"
          )}
        </dd>
        <dt>Conversation</dt>
        <dd>
          #{conversation.id} · {conversation.status === "open" ? "Open" : "Closed"}
        </dd>
        <dt>Assigned to</dt>
        <dd>{agentLabel(agents, conversation.assignee_id, me.id)}</dd>
      </dl>
    </aside>
  );
}
