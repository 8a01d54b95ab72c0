/**
 * The first schema. One migration for both engines; the few differences are column types
 * (columnTypes.ts). Every statement is `if not exists`: SQLite runs migrations outside a transaction, so a boot
 * that died half way through can run this again.
 */
import { sql, type Kysely } from "kysely";
import type { Migration } from "kysely/migration";
import type { Engine } from "../schema.js";
import { columnTypes } from "./columnTypes.js";

export function initialSchema(engine: Engine): Migration {
  const { idType, timeType, primaryId } = columnTypes(engine);

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable("agents")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("username", "text", (col) => col.notNull().unique())
        .addColumn("name", "text", (col) => col.notNull())
        .addColumn("role", "text", (col) => col.notNull().check(sql`role in ('owner', 'agent')`))
        .addColumn("password_hash", "text", (col) => col.notNull())
        .addColumn("created_at", timeType, (col) => col.notNull())
        .execute();

      await db.schema
        .createTable("conversations")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("visitor_token", "text", (col) => col.notNull().unique())
        .addColumn("visitor_name", "text")
        .addColumn("status", "text", (col) =>
          col
            .notNull()
            .defaultTo("open")
            .check(sql`status in ('open', 'closed')`),
        )
        .addColumn("assignee_id", idType, (col) => col.references("agents.id").onDelete("set null"))
        .addColumn("unread_count", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("last_read_message_id", idType, (col) => col.notNull().defaultTo(0))
        .addColumn("created_ip", "text")
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("updated_at", timeType, (col) => col.notNull())
        .addColumn("visitor_last_seen_at", timeType)
        .execute();
      // The inbox order ("newest activity first") and its keyset paging.
      await db.schema
        .createIndex("conversations_updated_at_id")
        .ifNotExists()
        .on("conversations")
        .columns(["updated_at", "id"])
        .execute();
      // The per-address cap on new conversations.
      await db.schema
        .createIndex("conversations_created_ip_created_at")
        .ifNotExists()
        .on("conversations")
        .columns(["created_ip", "created_at"])
        .execute();
      await db.schema
        .createIndex("conversations_assignee_id")
        .ifNotExists()
        .on("conversations")
        .column("assignee_id")
        .execute();

      await db.schema
        .createTable("messages")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("conversation_id", idType, (col) =>
          col.notNull().references("conversations.id").onDelete("cascade"),
        )
        .addColumn("sender", "text", (col) => col.notNull().check(sql`sender in ('visitor', 'admin')`))
        .addColumn("content", "text", (col) => col.notNull())
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("client_id", "text")
        .addColumn("agent_id", idType, (col) => col.references("agents.id").onDelete("set null"))
        .addColumn("agent_name", "text")
        // Retries of one send carry one client_id; NULLs never conflict, so messages without one
        // are always stored.
        .addUniqueConstraint("messages_conversation_id_client_id", ["conversation_id", "client_id"])
        .execute();
      // A conversation's messages in id order, and its latest message.
      await db.schema
        .createIndex("messages_conversation_id_id")
        .ifNotExists()
        .on("messages")
        .columns(["conversation_id", "id"])
        .execute();
      await db.schema
        .createIndex("messages_agent_id")
        .ifNotExists()
        .on("messages")
        .column("agent_id")
        .execute();

      await db.schema
        .createTable("sessions")
        .ifNotExists()
        .addColumn("id", "text", (col) => col.primaryKey())
        .addColumn("agent_id", idType, (col) => col.notNull().references("agents.id").onDelete("cascade"))
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addColumn("expires_at", timeType, (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex("sessions_agent_id")
        .ifNotExists()
        .on("sessions")
        .column("agent_id")
        .execute();
      await db.schema
        .createIndex("sessions_expires_at")
        .ifNotExists()
        .on("sessions")
        .column("expires_at")
        .execute();

      await db.schema
        .createTable("push_subscriptions")
        .ifNotExists()
        .addColumn("id", idType, primaryId)
        .addColumn("agent_id", idType, (col) => col.notNull().references("agents.id").onDelete("cascade"))
        .addColumn("endpoint", "text", (col) => col.notNull())
        .addColumn("p256dh", "text", (col) => col.notNull())
        .addColumn("auth", "text", (col) => col.notNull())
        .addColumn("created_at", timeType, (col) => col.notNull())
        .addUniqueConstraint("push_subscriptions_agent_id_endpoint", ["agent_id", "endpoint"])
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ["push_subscriptions", "sessions", "messages", "conversations", "agents"]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
