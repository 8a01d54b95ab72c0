/**
 * The store's part for the audit log (protocol §17): entries written once, read newest first by
 * owners, and deleted when older than the owner's `audit_log_days`.
 */
import type { AuditAction, AuditEntry } from "@parley/protocol";

export interface StoredAuditEntry {
  id: number;
  action: AuditAction;
  agentId: number | null;
  agentName: string | null;
  apiTokenId: number | null;
  ipAddress: string | null;
  targetType: string | null;
  targetId: number | null;
  siteId: number | null;
  details: AuditEntry["details"];
  at: string;
}

export type NewAuditEntry = Omit<StoredAuditEntry, "id">;

export interface AuditLogFilter {
  action?: AuditAction;
  agentId?: number;
  /** Entries at or after this time. */
  since?: string;
  /** Entries before this time. */
  until?: string;
  /** Entries with ids below this (the previous page's cursor). */
  beforeId?: number;
  limit: number;
}

export interface AuditStore {
  insertAuditEntry(entry: NewAuditEntry): Promise<StoredAuditEntry>;
  /** Newest first. */
  listAuditEntries(filter: AuditLogFilter): Promise<StoredAuditEntry[]>;
  /**
   * Deletes up to `batchSize` entries older than `before`, oldest first; returns how many. Callers
   * repeat until it answers fewer than `batchSize`, so no one statement holds the table long.
   */
  deleteAuditEntriesBefore(before: string, batchSize: number): Promise<number>;
}
