/** The outbox, threads and email settings (migration 012): the rows behind emailStore.ts. */
import { sql, type Kysely, type Selectable } from "kysely";
import type { EmailKind } from "../../email/outgoing.js";
import type { AgentsTable, Database, EmailOutboxTable, EmailThreadsTable } from "../schema.js";
import type { AgentEmailSettings, EmailStore, StoredEmail, StoredEmailThread } from "../emailStore.js";

/** A stored error is for an owner to read, not a dump. */
const MAX_ERROR_LENGTH = 500;

function toEmail(row: Selectable<EmailOutboxTable>): StoredEmail {
  return {
    id: row.id,
    kind: row.kind as EmailKind,
    siteId: row.site_id,
    conversationId: row.conversation_id,
    to: row.to_address,
    messageId: row.message_id,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
    replyTo: row.reply_to,
    inReplyTo: row.in_reply_to,
    unsubscribeUrl: row.unsubscribe_url,
    locale: row.locale,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

function toThread(row: Selectable<EmailThreadsTable>): StoredEmailThread {
  return {
    conversationId: row.conversation_id,
    rootMessageId: row.root_message_id,
    emailedThroughMessageId: Number(row.emailed_through_message_id),
    updatedAt: row.updated_at,
  };
}

type AgentEmailRow = Pick<
  Selectable<AgentsTable>,
  "id" | "email" | "email_alerts" | "email_alert_after_minutes" | "email_alerted_at"
>;

function toAgentSettings(row: AgentEmailRow): AgentEmailSettings {
  return {
    agentId: row.id,
    email: row.email,
    emailAlerts: row.email_alerts,
    emailAlertAfterMinutes: Number(row.email_alert_after_minutes),
    emailAlertedAt: row.email_alerted_at,
  };
}

const AGENT_EMAIL_COLUMNS = [
  "id",
  "email",
  "email_alerts",
  "email_alert_after_minutes",
  "email_alerted_at",
] as const;

export function emailQueries(db: Kysely<Database>): EmailStore {
  const getEmailThread = async (conversationId: number) => {
    const row = await db
      .selectFrom("email_threads")
      .selectAll()
      .where("conversation_id", "=", conversationId)
      .executeTakeFirst();
    return row && toThread(row);
  };
  const getAgentEmailSettings = async (agentId: number) => {
    const row = await db
      .selectFrom("agents")
      .select(AGENT_EMAIL_COLUMNS)
      .where("id", "=", agentId)
      .executeTakeFirst();
    return row && toAgentSettings(row);
  };

  return {
    insertEmail: (email) =>
      db.transaction().execute(async (trx) => {
        let inReplyTo: string | null = null;
        if (email.conversationId !== null) {
          // The first email of a conversation roots its thread; a later one (or one racing it)
          // finds the root and answers it.
          await trx
            .insertInto("email_threads")
            .values({
              conversation_id: email.conversationId,
              root_message_id: email.messageId,
              updated_at: email.at,
            })
            .onConflict((conflict) => conflict.column("conversation_id").doNothing())
            .execute();
          const thread = await trx
            .selectFrom("email_threads")
            .select("root_message_id")
            .where("conversation_id", "=", email.conversationId)
            .executeTakeFirstOrThrow();
          if (thread.root_message_id !== email.messageId) inReplyTo = thread.root_message_id;
        }
        const row = await trx
          .insertInto("email_outbox")
          .values({
            kind: email.kind,
            site_id: email.siteId,
            conversation_id: email.conversationId,
            to_address: email.to,
            message_id: email.messageId,
            subject: email.subject,
            text_body: email.text,
            html_body: email.html,
            reply_to: email.replyTo,
            in_reply_to: inReplyTo,
            unsubscribe_url: email.unsubscribeUrl,
            locale: email.locale,
            status: "queued",
            attempts: 0,
            last_error: null,
            created_at: email.at,
            sent_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toEmail(row);
      }),

    async getEmail(id) {
      const row = await db.selectFrom("email_outbox").selectAll().where("id", "=", id).executeTakeFirst();
      return row && toEmail(row);
    },

    async countEmailAttempt(id) {
      const row = await db
        .updateTable("email_outbox")
        .set({ attempts: sql<number>`attempts + 1` })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst();
      return row && toEmail(row);
    },

    async markEmailSent(id, at) {
      const result = await db
        .updateTable("email_outbox")
        .set({ status: "sent", sent_at: at, last_error: null })
        .where("id", "=", id)
        .where("status", "=", "queued")
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async markEmailFailed(id, error, giveUp) {
      await db
        .updateTable("email_outbox")
        .set({
          last_error: error.slice(0, MAX_ERROR_LENGTH),
          ...(giveUp ? { status: "failed" as const } : {}),
        })
        .where("id", "=", id)
        .where("status", "=", "queued")
        .execute();
    },

    async countEmails(since) {
      const row = await db
        .selectFrom("email_outbox")
        .select([
          sql<number>`sum(case when status = 'queued' then 1 else 0 end)`.as("queued"),
          sql<number>`sum(case when status = 'failed' and created_at >= ${since} then 1 else 0 end)`.as(
            "failed",
          ),
        ])
        .where("status", "in", ["queued", "failed"])
        .executeTakeFirst();
      return { queued: Number(row?.queued ?? 0), failedSince: Number(row?.failed ?? 0) };
    },

    async listQueuedEmailIds() {
      const rows = await db
        .selectFrom("email_outbox")
        .select("id")
        .where("status", "=", "queued")
        .orderBy("id", "asc")
        .execute();
      return rows.map((row) => row.id);
    },

    async findEmailByMessageId(messageId) {
      const row = await db
        .selectFrom("email_outbox")
        .selectAll()
        .where("message_id", "=", messageId)
        .executeTakeFirst();
      return row && toEmail(row);
    },

    async getMailboxStatus() {
      const row = await db
        .selectFrom("email_mailbox")
        .select(["last_fetch_at", "last_fetch_error"])
        .where("id", "=", 1)
        .executeTakeFirst();
      return row && { lastFetchAt: row.last_fetch_at, lastFetchError: row.last_fetch_error };
    },

    getEmailThread,

    async upsertEmailThread(input) {
      const through = input.emailedThroughMessageId ?? 0;
      await db
        .insertInto("email_threads")
        .values({
          conversation_id: input.conversationId,
          root_message_id: input.rootMessageId,
          emailed_through_message_id: through,
          updated_at: input.at,
        })
        .onConflict((conflict) =>
          conflict.column("conversation_id").doUpdateSet({
            // Never lowered: two writers racing keep the higher mark.
            emailed_through_message_id: sql<number>`case when email_threads.emailed_through_message_id > ${through} then email_threads.emailed_through_message_id else ${through} end`,
            updated_at: input.at,
          }),
        )
        .execute();
      const thread = await getEmailThread(input.conversationId);
      if (thread === undefined)
        throw new Error(`email thread of conversation ${input.conversationId} vanished`);
      return thread;
    },

    getAgentEmailSettings,

    async updateAgentEmailSettings(agentId, settings) {
      await db
        .updateTable("agents")
        .set({
          email: settings.email,
          email_alerts: settings.emailAlerts,
          email_alert_after_minutes: settings.emailAlertAfterMinutes,
        })
        .where("id", "=", agentId)
        .execute();
      return getAgentEmailSettings(agentId);
    },

    async listAgentsWithEmailAlerts() {
      const rows = await db
        .selectFrom("agents")
        .select(AGENT_EMAIL_COLUMNS)
        .where("email", "is not", null)
        .where("email_alerts", "!=", "off")
        .orderBy("id", "asc")
        .execute();
      return rows.map(toAgentSettings);
    },

    async markAgentEmailAlerted(agentId, at) {
      await db.updateTable("agents").set({ email_alerted_at: at }).where("id", "=", agentId).execute();
    },

    async listUnansweredConversations(query) {
      if (query.siteIds !== undefined && query.siteIds.length === 0) return [];
      // Per conversation: the visitor's messages after its last agent message.
      let select = db
        .selectFrom("conversations as c")
        .innerJoin("messages as w", (join) =>
          join
            .onRef("w.conversation_id", "=", "c.id")
            .on("w.sender", "=", "visitor")
            .on(
              sql<boolean>`w.id > (select coalesce(max(a.id), 0) from messages a
                where a.conversation_id = c.id and a.sender = 'admin')`,
            ),
        )
        .select((eb) => [
          "c.id as conversation_id",
          "c.site_id",
          "c.visitor_name",
          "c.created_at",
          eb.fn.min("w.created_at").as("waiting_since"),
          eb.fn.max("w.id").as("last_id"),
          eb.fn.max("w.created_at").as("last_at"),
        ])
        .where("c.state", "!=", "resolved")
        .where("c.updated_at", ">", query.after)
        .groupBy(["c.id", "c.site_id", "c.visitor_name", "c.created_at"])
        .having((eb) => eb.fn.min("w.created_at"), ">", query.after)
        .orderBy("waiting_since", "asc")
        .limit(query.limit);
      if (query.siteIds !== undefined) select = select.where("c.site_id", "in", query.siteIds);
      const rows = await select.execute();
      if (rows.length === 0) return [];
      const contents = await db
        .selectFrom("messages")
        .select(["id", "content"])
        .where(
          "id",
          "in",
          rows.map((row) => Number(row.last_id)),
        )
        .execute();
      const contentOf = new Map(contents.map((row) => [row.id, row.content]));
      return rows.map((row) => ({
        conversationId: row.conversation_id,
        siteId: row.site_id,
        visitorName: row.visitor_name,
        createdAt: row.created_at,
        waitingSince: String(row.waiting_since),
        lastContent: contentOf.get(Number(row.last_id)) ?? "",
        lastAt: String(row.last_at),
      }));
    },
  };
}
