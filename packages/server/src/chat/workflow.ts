/**
 * The team workflow (protocol §15), states, labels and view counts: conversation states beside the
 * seed's status, the durable snooze wake-up (a job at `snoozed_until`), owners' labels and the
 * agents' counts. Every change is committed first and announced after, as in inbox.ts.
 */
import {
  CONVERSATION_STATES,
  MAX_LABEL_NAME_LENGTH,
  MAX_LABELS,
  MAX_LABELS_PER_CONVERSATION,
  type AgentRef,
  type ConversationState,
  type Label,
  type ViewCounts,
} from "@parley/protocol";
import type { JobHandler } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import { UniqueViolationError } from "../store/errors.js";
import type { StoredConversation } from "../store/store.js";
import type { StoredLabel } from "../store/workflowStore.js";
import type { ChatContext } from "./context.js";
import { ChatError, invalid, notFound } from "./errors.js";
import type { Inbox } from "./inbox.js";
import { AGENTS_STREAM } from "./streams.js";
import * as validate from "./validate.js";

/** The job that wakes a snoozed conversation at its time. */
export const SNOOZE_WAKE = "conversation.snooze_wake";
const MAX_SNOOZE_MS = 366 * 24 * 60 * 60 * 1000;
const COLOR = /^#[0-9a-f]{6}$/i;

interface SnoozeWakePayload {
  conversationId: number;
  until: string;
}

function isSnoozeWakePayload(value: unknown): value is SnoozeWakePayload {
  if (typeof value !== "object" || value === null) return false;
  const { conversationId, until } = value as Record<string, unknown>;
  return Number.isSafeInteger(conversationId) && typeof until === "string";
}

export function toWireLabel(stored: StoredLabel): Label {
  return {
    id: stored.id,
    name: stored.name,
    color: stored.color.toLowerCase(),
    created_at: stored.createdAt,
  };
}

export function stateValue(value: unknown): ConversationState {
  if (typeof value === "string" && (CONVERSATION_STATES as readonly string[]).includes(value))
    return value as ConversationState;
  throw invalid('state must be "open", "pending", "snoozed" or "resolved"');
}

/** A list filter's state: undefined for none (absent, "" or "all"). */
export function stateFilter(value: unknown): ConversationState | undefined {
  if (value === undefined || value === null || value === "" || value === "all") return undefined;
  return stateValue(value);
}

/** A list filter's assignee: "me", "unassigned", "all" or an id; undefined: anyone. */
export function assigneeFilter(value: unknown, self: AgentRef): number | null | undefined {
  if (value === undefined || value === null || value === "" || value === "all") return undefined;
  if (value === "me") return self.id;
  if (value === "unassigned") return null;
  if (typeof value === "string" && /^[1-9][0-9]{0,15}$/.test(value)) return Number(value);
  return validate.id(value, "assignee");
}

export class Workflow {
  constructor(
    private readonly chat: ChatContext,
    private readonly inbox: Inbox,
    /** Where snooze wake-ups wait; without one (the CLI) a timed snooze is refused. */
    private readonly jobs: JobQueue | undefined,
    /** (§18) Told of every state change once it is announced (ratings.ts asks for a rating). */
    private readonly afterStateChange?: (
      after: StoredConversation,
      before: StoredConversation,
    ) => Promise<StoredConversation>,
  ) {}

  async setState(
    agent: AgentRef,
    conversationIdValue: unknown,
    stateInput: unknown,
    snoozedUntilInput: unknown,
  ): Promise<StoredConversation> {
    const conversationId = validate.id(conversationIdValue, "conversation_id");
    const state = stateValue(stateInput);
    const until = this.snoozedUntil(state, snoozedUntilInput);
    const conversation = await this.inbox.get(agent, conversationId);
    if (conversation.state === state && conversation.snoozedUntil === until) return conversation;
    const updated = await this.chat.store.updateConversation(conversation.id, {
      state,
      snoozedUntil: until,
      stateAt: this.chat.now().toISOString(),
    });
    if (updated === undefined) throw notFound("Conversation");
    if (until !== null) await this.scheduleWake(updated.id, until);
    await this.chat.events.stateChanged(updated, conversation);
    return (await this.afterStateChange?.(updated, conversation)) ?? updated;
  }

  /** null unless snoozed with a time; checked: a time, in the future, within a year. */
  private snoozedUntil(state: ConversationState, value: unknown): string | null {
    if (value === undefined || value === null) return null;
    if (state !== "snoozed") throw invalid("snoozed_until goes only with the state snoozed");
    if (typeof value !== "string" || value.length > 64) throw invalid("snoozed_until must be a time");
    const time = Date.parse(value);
    if (!Number.isFinite(time) || !/^\d{4}-\d\d-\d\dT/.test(value))
      throw invalid("snoozed_until must be an ISO 8601 time");
    const now = this.chat.now().getTime();
    if (time <= now) throw invalid("snoozed_until must be in the future");
    if (time > now + MAX_SNOOZE_MS) throw invalid("snoozed_until must be within a year");
    if (this.jobs === undefined) throw invalid("A timed snooze needs the server's job queue");
    return new Date(time).toISOString();
  }

  private async scheduleWake(conversationId: number, until: string): Promise<void> {
    await this.jobs?.enqueue(SNOOZE_WAKE, { conversationId, until } satisfies SnoozeWakePayload, {
      runAt: new Date(until),
      dedupeKey: `${SNOOZE_WAKE}:${conversationId}:${until}`,
    });
  }

  /**
   * The wake-up job: opens the conversation only while it is snoozed until that same time (the
   * store's condition decides), so a snooze changed or ended since does nothing here.
   */
  snoozeWakeHandler(): JobHandler {
    return {
      maxAttempts: 10,
      run: async (job) => {
        const payload: unknown = JSON.parse(job.payload);
        if (!isSnoozeWakePayload(payload)) return { kind: "done" };
        const due = Date.parse(payload.until);
        if (Number.isFinite(due) && due > this.chat.now().getTime())
          return { kind: "postpone", until: new Date(due) };
        const before = await this.chat.store.getConversation(payload.conversationId);
        if (before === undefined) return { kind: "done" };
        const woke = await this.chat.store.wakeSnoozed(payload.conversationId, payload.until);
        if (woke !== undefined) await this.chat.events.stateChanged(woke, before);
        return { kind: "done" };
      },
    };
  }

  async setLabels(
    agent: AgentRef,
    conversationIdValue: unknown,
    labelIdsValue: unknown,
  ): Promise<StoredConversation> {
    const conversationId = validate.id(conversationIdValue, "conversation_id");
    if (!Array.isArray(labelIdsValue)) throw invalid("label_ids must be a list of label ids");
    const labelIds = [...new Set(labelIdsValue.map((each) => validate.id(each, "label_ids")))];
    if (labelIds.length > MAX_LABELS_PER_CONVERSATION)
      throw invalid(`A conversation carries at most ${MAX_LABELS_PER_CONVERSATION} labels`);
    const conversation = await this.inbox.get(agent, conversationId);
    const result = await this.chat.store.setConversationLabels(conversation.id, labelIds);
    if (result === undefined) throw notFound("Conversation");
    if (!("conversation" in result)) throw invalid(`Unknown label: ${result.unknown.join(", ")}`);
    await this.chat.events.conversationChanged(result.conversation);
    return result.conversation;
  }

  async labels(): Promise<Label[]> {
    return (await this.chat.store.listLabels()).map(toWireLabel);
  }

  async createLabel(input: { name: unknown; color: unknown }): Promise<Label> {
    const name = labelName(input.name);
    const color = labelColor(input.color);
    if ((await this.chat.store.countLabels()) >= MAX_LABELS) throw invalid(`At most ${MAX_LABELS} labels`);
    const label = await sameName(() =>
      this.chat.store.createLabel({ name, color, at: this.chat.now().toISOString() }),
    );
    await this.labelsChanged();
    return toWireLabel(label);
  }

  async updateLabel(idValue: unknown, input: { name?: unknown; color?: unknown }): Promise<Label> {
    const id = validate.id(idValue, "id");
    const patch = {
      ...(input.name === undefined ? {} : { name: labelName(input.name) }),
      ...(input.color === undefined ? {} : { color: labelColor(input.color) }),
    };
    const label = await sameName(() => this.chat.store.updateLabel(id, patch));
    if (label === undefined) throw notFound("Label");
    await this.labelsChanged();
    return toWireLabel(label);
  }

  /** Takes it off every conversation; `labels_updated` tells agents (each drops the id itself). */
  async deleteLabel(idValue: unknown): Promise<void> {
    const id = validate.id(idValue, "id");
    if (!(await this.chat.store.deleteLabel(id))) throw notFound("Label");
    await this.labelsChanged();
  }

  /** Every agent, on every node, hears the whole new set. */
  private async labelsChanged(): Promise<void> {
    const labels = await this.labels();
    await this.chat.broker.publish(AGENTS_STREAM, { type: "labels_updated", labels });
  }

  /** (§15) The agent's view counts, within the sites they answer (narrowed to `siteId`). */
  async viewCounts(agent: AgentRef, siteId?: number): Promise<ViewCounts> {
    const siteIds = (await this.chat.teams.scopeOf(agent.id)).filter(siteId);
    return this.chat.store.countViews({ agentId: agent.id, ...(siteIds === undefined ? {} : { siteIds }) });
  }
}

function labelName(value: unknown): string {
  if (typeof value !== "string") throw invalid("name must be text");
  const name = validate.plainName(value).trim();
  if (name.length < 1 || name.length > MAX_LABEL_NAME_LENGTH)
    throw invalid(`name must be 1 to ${MAX_LABEL_NAME_LENGTH} characters`);
  return name;
}

function labelColor(value: unknown): string {
  if (typeof value !== "string" || !COLOR.test(value)) throw invalid("color must be #rrggbb");
  return value.toLowerCase();
}

async function sameName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (error instanceof UniqueViolationError)
      throw new ChatError("conflict", "A label with this name exists");
    throw error;
  }
}
