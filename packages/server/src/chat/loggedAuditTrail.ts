/**
 * An audit trail that writes each record to the log, for a server whose store keeps no audit
 * entries: what was done still leaves a line an operator can find.
 */
import type { Logger } from "pino";
import type { AuditRecord, AuditTrail } from "./auditTrail.js";

export class LoggedAuditTrail implements AuditTrail {
  constructor(private readonly logger: Logger) {}

  async record(entry: AuditRecord): Promise<void> {
    this.logger.info({ audit: entry }, `audit: ${entry.action}`);
    return Promise.resolve();
  }
}
