/**
 * The audit log (protocol §17): the store-backed trail every audited action records through
 * (auditTrail.ts), the owners' listing, and the daily cleanup of entries older than the owner
 * setting `audit_log_days`, a durable job so that one node runs it and a restart does not lose it.
 */
import type { Logger } from "pino";
import type { AuditAction, AuditEntry, AuditLogResponse } from "@parley/protocol";
import type { JobHandler } from "../jobs/job.js";
import type { JobQueue } from "../jobs/queue.js";
import type { AuditLogFilter, StoredAuditEntry } from "../store/auditStore.js";
import type { Store } from "../store/store.js";
import type { AuditRecord, AuditTrail } from "./auditTrail.js";

/** The cleanup's job kind; one pending at a time (its dedupe key). */
export const AUDIT_CLEANUP = "audit.cleanup";
const CLEANUP_EVERY_MS = 24 * 60 * 60 * 1000;
/** Rows deleted per statement, so a year of entries going at once never holds the table long. */
const CLEANUP_BATCH = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 200;

/** What an owner's listing asks, already checked by the route's schema and parsed. */
export interface AuditListing {
  action?: AuditAction;
  agentId?: number;
  since?: string;
  until?: string;
  beforeId?: number;
  limit?: number;
}

export interface AuditLogOptions {
  store: Pick<Store, "insertAuditEntry" | "listAuditEntries" | "deleteAuditEntriesBefore">;
  logger: Logger;
  now: () => Date;
  /** The owner setting `audit_log_days`, as it is when the cleanup runs. */
  keepDays: () => number;
}

export function toWireAuditEntry(entry: StoredAuditEntry): AuditEntry {
  return {
    id: entry.id,
    action: entry.action,
    agent_id: entry.agentId,
    agent_name: entry.agentName,
    api_token_id: entry.apiTokenId,
    ip_address: entry.ipAddress,
    target_type: entry.targetType,
    target_id: entry.targetId,
    site_id: entry.siteId,
    details: entry.details,
    at: entry.at,
  };
}

export class AuditLog implements AuditTrail {
  constructor(private readonly options: AuditLogOptions) {}

  /** Writes one entry; a failure is logged, never thrown: the action it records already happened. */
  async record(entry: AuditRecord): Promise<void> {
    const { actor } = entry;
    try {
      await this.options.store.insertAuditEntry({
        action: entry.action,
        agentId: actor.kind === "agent" ? actor.agentId : null,
        agentName: actor.kind === "agent" ? actor.agentName : null,
        apiTokenId: actor.kind === "token" ? actor.tokenId : null,
        ipAddress: actor.kind === "system" ? null : actor.ip,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        siteId: entry.siteId ?? null,
        details: entry.details ?? {},
        at: this.options.now().toISOString(),
      });
    } catch (error) {
      this.options.logger.error({ err: error, action: entry.action }, "audit entry not written");
    }
  }

  /** Owners' page of entries, newest first; `next_cursor` is set only when more remain. */
  async list(listing: AuditListing): Promise<AuditLogResponse> {
    const limit = Math.min(Math.max(listing.limit ?? AUDIT_PAGE_DEFAULT, 1), AUDIT_PAGE_MAX);
    const filter: AuditLogFilter = { limit: limit + 1 };
    if (listing.action !== undefined) filter.action = listing.action;
    if (listing.agentId !== undefined) filter.agentId = listing.agentId;
    if (listing.since !== undefined) filter.since = listing.since;
    if (listing.until !== undefined) filter.until = listing.until;
    if (listing.beforeId !== undefined) filter.beforeId = listing.beforeId;
    const rows = await this.options.store.listAuditEntries(filter);
    const page = rows.slice(0, limit);
    return {
      entries: page.map(toWireAuditEntry),
      next_cursor: rows.length > limit ? page[page.length - 1]!.id : null,
    };
  }

  /** Deletes every entry older than `audit_log_days`; returns how many. Running it twice deletes nothing more. */
  async cleanup(): Promise<number> {
    const before = new Date(this.options.now().getTime() - this.options.keepDays() * DAY_MS).toISOString();
    let deleted = 0;
    for (;;) {
      const batch = await this.options.store.deleteAuditEntriesBefore(before, CLEANUP_BATCH);
      deleted += batch;
      if (batch < CLEANUP_BATCH) return deleted;
    }
  }

  /** Puts the cleanup in the queue now (at boot), unless one already waits. */
  async scheduleCleanup(jobs: JobQueue, at: Date = this.options.now()): Promise<void> {
    await jobs.enqueue(AUDIT_CLEANUP, {}, { runAt: at, dedupeKey: AUDIT_CLEANUP });
  }

  /** The job: cleans up, then puts the next run a day later (the dedupe key keeps it to one). */
  cleanupHandler(jobs: JobQueue): JobHandler {
    return {
      maxAttempts: 5,
      run: async () => {
        const deleted = await this.cleanup();
        if (deleted > 0) this.options.logger.info({ deleted }, "old audit entries deleted");
        await this.scheduleCleanup(jobs, new Date(this.options.now().getTime() + CLEANUP_EVERY_MS));
        return { kind: "done" };
      },
    };
  }
}
