/**
 * Canned replies (protocol §15): saved answers an agent inserts with `/shortcut`. `personal`
 * ones are their agent's alone (only they list, change or delete them); `shared` ones are made,
 * changed and deleted by owners and serve every agent of `site_id` (null: every site). A
 * shortcut is unique among the replies one agent sees on one site: a clash is a conflict (409).
 * The inbox fills `{{…}}` variables; the server stores the text as written, cleaned as messages are.
 */
import {
  CANNED_SHORTCUT_PATTERN,
  MAX_CANNED_CONTENT_LENGTH,
  type AgentRef,
  type AgentRole,
  type CannedReply,
} from "@parley/protocol";
import type { CannedScope, StoredCannedReply } from "../store/teamWorkStore.js";
import type { ChatContext } from "./context.js";
import { ChatError, invalid, notFound } from "./errors.js";
import * as validate from "./validate.js";

/** Personal replies one agent may keep. */
export const MAX_PERSONAL_CANNED_REPLIES = 500;
/** Shared replies in all. */
export const MAX_SHARED_CANNED_REPLIES = 1000;

export type CannedActor = AgentRef & { role: AgentRole };

export function toWireCannedReply(stored: StoredCannedReply): CannedReply {
  return {
    id: stored.id,
    scope: stored.scope,
    shortcut: stored.shortcut,
    content: stored.content,
    site_id: stored.siteId,
    agent_id: stored.agentId,
    created_at: stored.createdAt,
    updated_at: stored.updatedAt,
  };
}

function shortcut(value: unknown): string {
  if (typeof value !== "string" || !CANNED_SHORTCUT_PATTERN.test(value)) {
    throw invalid("shortcut must be 1-32 lowercase letters, digits, _ or -, starting with a letter or digit");
  }
  return value;
}

function content(value: unknown): string {
  if (typeof value !== "string") throw invalid("content must be text");
  const text = validate.plainText(value).trim();
  if (text === "") throw invalid("content is empty");
  if ([...text].length > MAX_CANNED_CONTENT_LENGTH)
    throw invalid(`content too long (max ${MAX_CANNED_CONTENT_LENGTH})`);
  return text;
}

function scope(value: unknown): CannedScope {
  if (value === "personal" || value === "shared") return value;
  throw invalid('scope must be "personal" or "shared"');
}

const ownersOnly = () => new ChatError("forbidden", "Only an owner can change shared replies");

export class CannedReplies {
  constructor(private readonly chat: ChatContext) {}

  /** The agent's personal replies and the shared ones of the site (or, without one, of their sites). */
  async list(agent: AgentRef, siteIdValue: unknown): Promise<CannedReply[]> {
    const siteId = validate.optionalId(siteIdValue, "site_id");
    const scope = await this.chat.teams.scopeOf(agent.id);
    if (siteId !== undefined && !scope.covers(siteId)) throw notFound("Site");
    const rows = await this.chat.store.listCannedRepliesFor(agent.id);
    return rows
      .filter((row) => {
        if (row.scope === "personal") return row.agentId === agent.id;
        if (row.siteId === null) return true;
        return siteId === undefined ? scope.covers(row.siteId) : row.siteId === siteId;
      })
      .map(toWireCannedReply);
  }

  async create(
    agent: CannedActor,
    input: { scope: unknown; shortcut: unknown; content: unknown; site_id?: unknown },
  ): Promise<CannedReply> {
    const kind = scope(input.scope);
    const wanted = shortcut(input.shortcut);
    const text = content(input.content);
    let siteId: number | null = null;
    if (kind === "shared") {
      if (agent.role !== "owner") throw ownersOnly();
      siteId = await this.site(input.site_id);
    } else if (input.site_id !== undefined && input.site_id !== null) {
      throw invalid("site_id is for shared replies only");
    }
    const count = await this.chat.store.countCannedReplies(kind === "shared" ? null : agent.id);
    const max = kind === "shared" ? MAX_SHARED_CANNED_REPLIES : MAX_PERSONAL_CANNED_REPLIES;
    if (count >= max) throw invalid(`At most ${max} ${kind} canned replies`);
    const candidate = { id: 0, scope: kind, agentId: kind === "personal" ? agent.id : null, siteId };
    await this.checkUnique(candidate, wanted);
    const stored = await this.chat.store.createCannedReply({
      scope: kind,
      agentId: candidate.agentId,
      siteId,
      shortcut: wanted,
      content: text,
      at: this.chat.now().toISOString(),
    });
    return toWireCannedReply(stored);
  }

  async update(
    agent: CannedActor,
    idValue: unknown,
    patch: { shortcut?: unknown; content?: unknown; site_id?: unknown },
  ): Promise<CannedReply> {
    const reply = await this.editable(agent, idValue);
    const wanted = patch.shortcut === undefined ? undefined : shortcut(patch.shortcut);
    const text = patch.content === undefined ? undefined : content(patch.content);
    let siteId: number | null | undefined;
    if (patch.site_id !== undefined) {
      if (reply.scope === "personal") {
        if (patch.site_id !== null) throw invalid("site_id is for shared replies only");
      } else siteId = await this.site(patch.site_id);
    }
    if (wanted !== undefined || siteId !== undefined) {
      await this.checkUnique(
        { ...reply, siteId: siteId === undefined ? reply.siteId : siteId },
        wanted ?? reply.shortcut,
      );
    }
    const updated = await this.chat.store.updateCannedReply(reply.id, {
      ...(wanted === undefined ? {} : { shortcut: wanted }),
      ...(text === undefined ? {} : { content: text }),
      ...(siteId === undefined ? {} : { siteId }),
      at: this.chat.now().toISOString(),
    });
    if (updated === undefined) throw notFound("Canned reply");
    return toWireCannedReply(updated);
  }

  async delete(agent: CannedActor, idValue: unknown): Promise<void> {
    const reply = await this.editable(agent, idValue);
    if (!(await this.chat.store.deleteCannedReply(reply.id))) throw notFound("Canned reply");
  }

  /** A personal reply is found only by its agent; a shared one is found by all, changed by owners. */
  private async editable(agent: CannedActor, idValue: unknown): Promise<StoredCannedReply> {
    const reply = await this.chat.store.getCannedReply(validate.id(idValue, "id"));
    if (reply === undefined || (reply.scope === "personal" && reply.agentId !== agent.id)) {
      throw notFound("Canned reply");
    }
    if (reply.scope === "shared" && agent.role !== "owner") throw ownersOnly();
    return reply;
  }

  /** null or absent: every site; else a site that exists. */
  private async site(value: unknown): Promise<number | null> {
    if (value === undefined || value === null) return null;
    const siteId = validate.id(value, "site_id");
    if ((await this.chat.store.getSite(siteId)) === undefined) throw notFound("Site");
    return siteId;
  }

  /**
   * 409 when an agent would see another reply with the same shortcut on some site: two personal
   * ones of one agent; a personal one and a shared one of a site the agent answers (or of every
   * site); two shared ones whose sites meet (one is for every site, or both are for the same).
   */
  private async checkUnique(
    reply: Pick<StoredCannedReply, "id" | "scope" | "agentId" | "siteId">,
    wanted: string,
  ): Promise<void> {
    const taken = new ChatError("conflict", `The shortcut /${wanted} is taken`);
    for (const other of await this.chat.store.listCannedRepliesByShortcut(wanted)) {
      if (other.id === reply.id) continue;
      if (reply.scope === "personal" && other.scope === "personal") {
        if (other.agentId === reply.agentId) throw taken;
        continue;
      }
      if (reply.scope === "shared" && other.scope === "shared") {
        if (reply.siteId === null || other.siteId === null || reply.siteId === other.siteId) throw taken;
        continue;
      }
      const personal = reply.scope === "personal" ? reply : other;
      const shared = reply.scope === "shared" ? reply : other;
      if (personal.agentId === null) continue;
      if (shared.siteId === null || (await this.chat.teams.answers(personal.agentId, shared.siteId)))
        throw taken;
    }
  }
}
