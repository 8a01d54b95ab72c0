/**
 * The bodies a delivery carries, made once when the event happens (every attempt and resend
 * sends the same bytes): Parley's signed event (protocol §13), or a Slack incoming-webhook
 * message for the events a person reads in a channel.
 */
import type { Conversation, Message, WebhookEvent, WebhookEventType, WebhookFormat } from "@parley/protocol";
import type { ContactIdentified, ConversationHappening } from "../chat/events.js";

/** The events a Slack webhook may subscribe to: what is worth a line in a channel. */
export const SLACK_EVENT_TYPES: readonly WebhookEventType[] = ["conversation.created", "message.created"];

const SLACK_TEXT_MAX = 500;

export function parleyEvent(
  happening: ConversationHappening,
  conversation: Conversation,
  meta: { id: string; createdAt: string },
): WebhookEvent {
  const base = { id: meta.id, created_at: meta.createdAt, site_id: conversation.site_id };
  switch (happening.type) {
    case "conversation.created":
      return { ...base, type: happening.type, data: { conversation } };
    case "message.created":
      return {
        ...base,
        type: happening.type,
        data: {
          conversation_id: conversation.id,
          sender: happening.message.sender === "visitor" ? "visitor" : "agent",
          message: happening.message,
          conversation,
        },
      };
    case "conversation.status_changed":
      return {
        ...base,
        type: happening.type,
        data: { conversation, previous_status: happening.previousStatus },
      };
    case "conversation.assigned":
      return {
        ...base,
        type: happening.type,
        data: { conversation, previous_assignee_id: happening.previousAssigneeId },
      };
  }
}

/** `contact.identified` (protocol §13): no Slack body, Slack webhooks do not subscribe to it. */
export function contactIdentifiedEvent(
  happening: ContactIdentified,
  meta: { id: string; createdAt: string },
): WebhookEvent {
  return {
    id: meta.id,
    type: happening.type,
    created_at: meta.createdAt,
    site_id: happening.contact.site_id,
    data: { contact: happening.contact, conversation_id: happening.conversation?.id ?? null },
  };
}

/** Slack's mrkdwn treats &, < and > as markup: escaped, a visitor's text stays text. */
function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function clip(text: string): string {
  const points = [...text.replace(/\s+/g, " ").trim()];
  return points.length <= SLACK_TEXT_MAX
    ? points.join("")
    : `${points.slice(0, SLACK_TEXT_MAX - 1).join("")}…`;
}

function messageText(message: Message): string {
  const files = message.attachments?.length ?? 0;
  const content =
    message.content === "" && files > 0 ? `(${files} file${files === 1 ? "" : "s"})` : message.content;
  return clip(content);
}

/** Slack's `{text, blocks}`; undefined for an event Slack webhooks are not sent. */
export function slackMessage(
  happening: ConversationHappening,
  conversation: Conversation,
): { text: string; blocks: unknown[] } | undefined {
  const visitor = slackEscape(conversation.visitor_name ?? "A visitor");
  let text: string;
  switch (happening.type) {
    case "conversation.created":
      text = `New conversation #${conversation.id} from ${visitor}`;
      break;
    case "message.created": {
      const who =
        happening.message.sender === "visitor"
          ? visitor
          : slackEscape(happening.message.agent?.name ?? "An agent");
      text = `${who} in conversation #${conversation.id}: ${slackEscape(messageText(happening.message))}`;
      break;
    }
    default:
      return undefined;
  }
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** The body for one format, or undefined when that format is not sent this event. */
export function bodyFor(
  format: WebhookFormat,
  happening: ConversationHappening,
  conversation: Conversation,
  event: WebhookEvent,
): string | undefined {
  if (format === "parley") return JSON.stringify(event);
  const slack = slackMessage(happening, conversation);
  return slack === undefined ? undefined : JSON.stringify(slack);
}
