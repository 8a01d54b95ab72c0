/**
 * Private notes (protocol §15): agents write them on a conversation they can see; they live in
 * their own table with their own ids and events, so nothing a visitor reads (VisitorChannel,
 * widget routes, transcripts, webhooks, message counts) can carry one. A note is plain text,
 * cleaned as messages are; `@username` of an agent who answers the conversation's site is a
 * mention: listed in `mention_ids`, and each mentioned agent with a push subscription is pushed.
 * `note_created` goes to every agent who answers the site, through the agents' stream (so every
 * node's inboxes hear it), never to a visitor's stream.
 */
import { MAX_NOTE_LENGTH, type AgentRef, type Note } from "@parley/protocol";
import type { StoredNote } from "../store/teamWorkStore.js";
import type { ChatContext } from "./context.js";
import { invalid } from "./errors.js";
import type { Inbox } from "./inbox.js";
import { AGENTS_STREAM } from "./streams.js";
import * as validate from "./validate.js";

/** `get_notes` answers at most this many (oldest first). */
export const MAX_NOTES_LISTED = 1000;
/** Distinct `@names` looked up per note; more are left as text. */
const MAX_MENTIONS = 20;
/** `@` at the start or after a character that cannot be in a username (so "a@b.c" is not one). */
const MENTION = /(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_.@-]{1,64})/g;

/** Tells mentioned agents who are not looking (web push); push/ implements it. */
export interface MentionNotifier {
  /** Records the work only (enqueue): it runs on the agent's request. */
  notifyMentioned(agentIds: number[], note: StoredNote): Promise<void>;
}

export function toWireNote(stored: StoredNote): Note {
  return {
    id: stored.id,
    conversation_id: stored.conversationId,
    agent: { id: stored.agentId ?? 0, name: stored.agentName },
    content: stored.content,
    mention_ids: stored.mentionIds,
    ...(stored.clientId === null ? {} : { client_id: stored.clientId }),
    created_at: stored.createdAt,
  };
}

/** What an agent writes, cleaned as a message is (plainText, trimmed), 1–MAX_NOTE_LENGTH. */
export function noteContent(value: unknown): string {
  if (typeof value !== "string") throw invalid("Note must be text");
  const content = validate.plainText(value).trim();
  if (content === "") throw invalid("Note is empty");
  if ([...content].length > MAX_NOTE_LENGTH) throw invalid(`Note too long (max ${MAX_NOTE_LENGTH})`);
  return content;
}

/** The distinct names after `@`, in order; a trailing "." or "-" (end of a sentence) also tried without. */
export function mentionedNames(content: string): string[][] {
  const names = new Map<string, string[]>();
  for (const match of content.matchAll(MENTION)) {
    const name = match[1]!;
    if (names.has(name)) continue;
    const trimmed = name.replace(/[.@-]+$/, "");
    names.set(name, trimmed !== "" && trimmed !== name ? [name, trimmed] : [name]);
    if (names.size >= MAX_MENTIONS) break;
  }
  return [...names.values()];
}

export class Notes {
  constructor(
    private readonly chat: ChatContext,
    private readonly inbox: Pick<Inbox, "get">,
    private readonly notifier: MentionNotifier | undefined,
  ) {}

  /** A retry with a stored `client_id` answers the stored note (announced again, never pushed again). */
  async add(
    agent: AgentRef,
    input: { conversationId: unknown; content: unknown; clientId: unknown },
  ): Promise<{ note: Note; created: boolean }> {
    const conversationId = validate.id(input.conversationId, "conversation_id");
    const content = noteContent(input.content);
    const clientId = validate.clientId(input.clientId);
    const conversation = await this.inbox.get(agent, conversationId);
    const mentionIds = await this.mentions(content, conversation.siteId);
    const { note: stored, created } = await this.chat.store.appendNote({
      conversationId,
      agentId: agent.id,
      agentName: agent.name,
      content,
      mentionIds,
      clientId,
      at: this.chat.now().toISOString(),
    });
    const note = toWireNote(stored);
    // A retry publishes again too: its first publish may have died with a node; inboxes key by id.
    await this.chat.broker.publish(AGENTS_STREAM, {
      type: "for_site",
      site_id: conversation.siteId,
      event: { type: "note_created", note },
    });
    if (created) await this.push(stored, agent.id);
    return { note, created };
  }

  /** Oldest first, at most MAX_NOTES_LISTED. */
  async list(
    agent: AgentRef,
    conversationIdValue: unknown,
  ): Promise<{ conversationId: number; notes: Note[] }> {
    const conversationId = validate.id(conversationIdValue, "conversation_id");
    await this.inbox.get(agent, conversationId);
    const rows = await this.chat.store.listNotes(conversationId, MAX_NOTES_LISTED);
    return { conversationId, notes: rows.map(toWireNote) };
  }

  /** The agents named by `@username` who answer the site, in the order first named. */
  private async mentions(content: string, siteId: number): Promise<number[]> {
    const ids: number[] = [];
    for (const candidates of mentionedNames(content)) {
      for (const name of candidates) {
        const found = await this.chat.store.findAgentByUsername(name);
        if (found === undefined) continue;
        if (!ids.includes(found.id)) ids.push(found.id);
        break;
      }
    }
    return ids.length === 0 ? ids : this.chat.teams.answering(siteId, ids);
  }

  /** Never throws: the note is stored and announced; a missed push must not undo that. */
  private async push(note: StoredNote, authorId: number): Promise<void> {
    const mentioned = note.mentionIds.filter((id) => id !== authorId);
    if (this.notifier === undefined || mentioned.length === 0) return;
    try {
      await this.notifier.notifyMentioned(mentioned, note);
    } catch (error) {
      this.chat.logger.error({ err: error, note: note.id }, "pushing a note's mentions failed");
    }
  }
}
