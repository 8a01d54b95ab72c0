/**
 * The port through which chat/ and the routes record who did what (protocol §17, the audit
 * log). The store-backed trail implements it; every owner-visible action calls `record` after it
 * succeeded (a failed login records its failure). Recording never undoes the action: a trail
 * that cannot write logs the error and resolves.
 */
import type { AuditAction, AuditEntry } from "@parley/protocol";

/** Who acted: an agent (by cookie), a program (API token), or Parley itself (retention). */
export type AuditActor =
  | { kind: "agent"; agentId: number; agentName: string; ip: string | null }
  | { kind: "token"; tokenId: number; ip: string | null }
  /** Nobody yet: a failed login, before anyone is known. */
  | { kind: "anonymous"; ip: string | null }
  | { kind: "system" };

export interface AuditRecord {
  action: AuditAction;
  actor: AuditActor;
  targetType?: string;
  targetId?: number;
  siteId?: number | null;
  /** Never a password, token or secret. */
  details?: AuditEntry["details"];
}

export interface AuditTrail {
  record(entry: AuditRecord): Promise<void>;
}
