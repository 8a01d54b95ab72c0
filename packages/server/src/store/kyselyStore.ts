/**
 * The Store on top of Kysely, for both engines. The queries live in queries/, one file per kind
 * of record; this file only puts them together with the lifecycle methods.
 *
 * On SQLite every call shares one connection, and Kysely's SQLite dialect lets only one caller
 * hold it at a time (a transaction holds it from begin to commit), so concurrent async callers
 * never interleave inside a transaction. The flip side: code inside a transaction must use the
 * transaction object, never `db`, or it waits for itself.
 */
import { sql, type Kysely } from "kysely";
import type { StoreLogger } from "./logger.js";
import { migrateToLatest } from "./migrate.js";
import { agentQueries } from "./queries/agents.js";
import { apiTokenQueries } from "./queries/apiTokens.js";
import { attachmentQueries } from "./queries/attachments.js";
import { contactQueries } from "./queries/contacts.js";
import { conversationQueries } from "./queries/conversations.js";
import { jobQueries } from "./queries/jobs.js";
import { messageQueries } from "./queries/messages.js";
import type { SqliteHandle } from "./queries/sqliteAppend.js";
import { sqliteWrites } from "./queries/sqliteWrites.js";
import { pushSubscriptionQueries, subscribedAgentsCache } from "./queries/pushSubscriptions.js";
import { pushThrottleQueries } from "./queries/pushThrottles.js";
import { ownerSettingQueries } from "./queries/ownerSettings.js";
import { sessionQueries } from "./queries/sessions.js";
import { onboardingQueries } from "./queries/onboarding.js";
import { replyTimeQueries } from "./queries/replyTimes.js";
import { siteQueries } from "./queries/sites.js";
import { teamWorkQueries } from "./queries/teamWork.js";
import { webhookOutboxQueries } from "./queries/webhookOutbox.js";
import { webhookQueries } from "./queries/webhooks.js";
import { emailQueries } from "./queries/email.js";
import { emailInboundQueries } from "./queries/emailInbound.js";
import { auditQueries } from "./queries/audit.js";
import { workflowQueries } from "./queries/workflow.js";
import { privacyQueries } from "./queries/privacy.js";
import { ratingQueries } from "./queries/ratings.js";
import { reportQueries } from "./queries/reports.js";
import { visitorQueries } from "./queries/visitors.js";
import type { Database, Engine } from "./schema.js";
import type { Store } from "./store.js";

/**
 * `sqlite`: on SQLite, the connection under `db` itself, for what runs synchronously on it (the
 * message append, queries/sqliteAppend.ts).
 */
export function createKyselyStore(
  db: Kysely<Database>,
  engine: Engine,
  logger?: StoreLogger,
  sqlite?: SqliteHandle,
): Store {
  // Every change to push subscriptions passes through this store, an agent's removal included.
  const subscribedAgents = subscribedAgentsCache(db);
  const conversations = conversationQueries(db, engine);
  // One write transaction per turn for the synchronous writers (sqliteWrites.ts).
  const writer = sqlite === undefined ? undefined : { ...sqlite, writes: sqliteWrites(db, sqlite) };
  return {
    engine,
    migrate: () => migrateToLatest(db, engine, logger),
    async ping() {
      // SQLite's connection is this process's own, so the check takes no place in the line of
      // queries waiting for it (sqliteDialect.ts): after a restart, 15,000 returning visitors'
      // reads kept /up waiting past its timeout for seconds, and the proxy read "Database
      // unreachable" from a node that was fine (docs/reliability.md, "Restart storm").
      if (sqlite !== undefined) sqlite.database.prepare("select 1").get();
      else await sql`select 1`.execute(db);
    },
    async close() {
      // The checkpoint worker's connection first: the main one, closed last, then checkpoints
      // what is left and removes the -wal file, as SQLite's last connection does.
      await sqlite?.checkpointer?.close();
      await db.destroy();
    },
    ...conversations,
    ...messageQueries(db, engine, writer),
    ...replyTimeQueries(db),
    ...onboardingQueries(db),
    ...siteQueries(db),
    ...contactQueries(db, engine),
    ...visitorQueries(db, engine),
    ...ownerSettingQueries(db),
    ...agentQueries(db, engine, () => subscribedAgents.forget()),
    ...attachmentQueries(db, engine),
    ...sessionQueries(db),
    ...apiTokenQueries(db),
    ...pushSubscriptionQueries(db, subscribedAgents),
    ...pushThrottleQueries(db),
    ...jobQueries(db, engine),
    ...webhookQueries(db, engine, writer),
    ...webhookOutboxQueries(db, writer),
    ...emailQueries(db),
    ...emailInboundQueries(db),
    ...auditQueries(db),
    ...workflowQueries(db, conversations.getConversation),
    ...teamWorkQueries(db),
    ...privacyQueries(db),
    ...ratingQueries(db, conversations.getConversation),
    ...reportQueries(db, engine),
  };
}
