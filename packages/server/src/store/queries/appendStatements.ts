/**
 * The statements of a message's append, written once with the query builder for both ways of
 * running them: through Kysely, awaited one by one (messages.ts: Postgres), or compiled by it and
 * run synchronously on SQLite's connection (sqliteAppend.ts). Each is a `build` for
 * prepared()/preparedSync(), so the two paths run the very same SQL.
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema.js";
import type { NewMessage } from "../store.js";
import type { Placeholders } from "./prepared.js";

export type InsertMessageParams = Pick<
  NewMessage,
  "conversationId" | "sender" | "content" | "at" | "clientId" | "agentId" | "agentName"
> & { via: "email" | null };

/** Insert-or-nothing: a retried client id conflicts, and then the stored message is read. */
export const insertMessageStatement = (db: Kysely<Database>) => (p: Placeholders<InsertMessageParams>) =>
  db
    .insertInto("messages")
    .values({
      conversation_id: p.conversationId,
      sender: p.sender,
      content: p.content,
      created_at: p.at,
      client_id: p.clientId,
      agent_id: p.agentId,
      agent_name: p.agentName,
      via: p.via,
    })
    .onConflict((conflict) => conflict.columns(["conversation_id", "client_id"]).doNothing())
    .returningAll();

/** The message a retried client id stored the first time. */
export const storedMessageStatement =
  (db: Kysely<Database>) => (p: Placeholders<{ conversationId: number; clientId: string }>) =>
    db
      .selectFrom("messages")
      .selectAll()
      .where("conversation_id", "=", p.conversationId)
      .where("client_id", "=", p.clientId);

export type TouchParams = { at: string; conversationId: number };

/**
 * The conversation's side of a new message: its activity time, and a visitor's message counts as
 * unread. It comes in four shapes (from a visitor or an agent; with a name or without).
 */
export const touchStatements = (db: Kysely<Database>, fromVisitor: boolean) => {
  const touch = (p: Placeholders<TouchParams>) =>
    db
      .updateTable("conversations")
      .set({ updated_at: p.at })
      .$if(fromVisitor, (update) => update.set((eb) => ({ unread_count: eb("unread_count", "+", 1) })))
      .where("id", "=", p.conversationId);
  return {
    keepingName: touch,
    renaming: (p: Placeholders<TouchParams & { visitorName: string | null }>) =>
      touch(p).set({ visitor_name: p.visitorName }),
  };
};
