/** What a crash or a full disk must never do to the SQLite file: read straight from the file. */
import Database from "better-sqlite3";
import type { RetryingVisitor } from "../support/retryingVisitors.js";

export interface StoredCheck {
  /** `PRAGMA integrity_check` answer ("ok" when sound). */
  integrity: string;
  /** Rows carrying one of the visitors' client_ids. */
  storedRows: number;
  /** (conversation, client_id) pairs stored more than once. */
  duplicates: number;
  /** Sends a visitor got its echo for that are not in the file. */
  echoedButMissing: number;
}

/** Opens the live file next to the server (WAL lets it read while the server writes). */
export function checkStored(path: string, visitors: readonly RetryingVisitor[]): StoredCheck {
  const db = new Database(path, { timeout: 5000 });
  try {
    const integrity = (db.pragma("integrity_check") as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .join("; ");
    const rows = db
      .prepare(
        `select c.visitor_token as token, m.client_id as clientId, count(*) as n
           from messages m join conversations c on c.id = m.conversation_id
          where m.client_id is not null group by c.visitor_token, m.client_id`,
      )
      .all() as { token: string; clientId: string; n: number }[];
    const counts = new Map<string, number>();
    for (const row of rows) counts.set(`${row.token} ${row.clientId}`, row.n);
    let storedRows = 0;
    let duplicates = 0;
    for (const row of rows) {
      storedRows += row.n;
      if (row.n > 1) duplicates++;
    }
    let echoedButMissing = 0;
    for (const visitor of visitors)
      for (const clientId of visitor.echoed)
        if (!counts.has(`${visitor.token} ${clientId}`)) echoedButMissing++;
    return { integrity, storedRows, duplicates, echoedButMissing };
  } finally {
    db.close();
  }
}
