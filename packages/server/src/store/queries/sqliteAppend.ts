/**
 * The message append on SQLite, run synchronously. better-sqlite3 answers every statement at
 * once, yet through Kysely each statement of an append (begin, insert, update, commit, and a
 * first message's conversation insert) cost a promise chain of its own through the driver's
 * connection layer, and the transaction held the connection across all those awaits while
 * other sockets' work ran in between. Here a batch of appends is one better-sqlite3
 * transaction, shared with the turn's other synchronous writes (sqliteWrites.ts): the same
 * statements (appendStatements.ts), compiled by Kysely once and prepared once, run back to back
 * with no await between BEGIN and COMMIT.
 *
 * Everything else is as on the Kysely path (messages.ts): the group commit's queue and so id
 * order = commit order, client ids' idempotence, a first message's conversation created in the
 * same transaction, the attachments claim, and SQLite's own errors (SQLITE_FULL ...) reaching the
 * caller unchanged, after better-sqlite3 has rolled back whatever SQLite had not already.
 */
import type Database from "better-sqlite3";
import type { Kysely, SqliteDatabase } from "kysely";
import { toAttachment, toConversation, toConversationWithLast, toMessage } from "../rows.js";
import type { Database as Schema } from "../schema.js";
import type { NewFirstMessage, NewMessage, Store } from "../store.js";
import {
  insertMessageStatement,
  storedMessageStatement,
  touchStatements,
  type InsertMessageParams,
  type TouchParams,
} from "./appendStatements.js";
import { claimStatement, claimedInOrder, messageAttachmentsStatement } from "./attachments.js";
import { CREATE_ATTEMPTS, CREATION_RACE, conversationCreationStatements } from "./conversations.js";
import { statementRunner } from "../sqliteQueriesAtOnce.js";
import type { WalCheckpointer } from "../walCheckpointer.js";
import { preparedSync, type SyncExecutor } from "./prepared.js";
import type { SqliteWriter } from "./sqliteWrites.js";

/** SQLite's connection as openStore opened it, for the appends to use directly. */
export interface SqliteHandle {
  /** better-sqlite3's connection: the very one Kysely's SQLite dialect runs everything on. */
  database: Database.Database;
  /** The prepared statements Kysely uses as well (statementCache.ts). */
  statements: Pick<SqliteDatabase, "prepare">;
  /** openStore's statement hooks (metrics): told of these statements as of Kysely's own. */
  onQuery?: (sql: string, millis: number) => void;
  onQueryError?: () => void;
  /** Told of each write turn's commit (sqliteWrites.ts), to move checkpoints off the event loop when busy. */
  checkpointer?: WalCheckpointer;
}

export type AppendQueries = Pick<Store, "appendMessage" | "appendFirstMessage">;
type NewConversation = Parameters<Store["createConversation"]>[0];
type Appended = Awaited<ReturnType<Store["appendMessage"]>>;
type FirstAppended = Awaited<ReturnType<Store["appendFirstMessage"]>>;

export function sqliteAppends(db: Kysely<Schema>, sqlite: SqliteWriter): AppendQueries {
  const run = syncExecutor(sqlite);
  const insertMessage = preparedSync<InsertMessageParams>()(insertMessageStatement(db));
  const storedMessage = preparedSync<{ conversationId: number; clientId: string }>()(
    storedMessageStatement(db),
  );
  const touchShapes = (fromVisitor: boolean) => {
    const { keepingName, renaming } = touchStatements(db, fromVisitor);
    return {
      keepingName: preparedSync<TouchParams>()(keepingName),
      renaming: preparedSync<TouchParams & { visitorName: string | null }>()(renaming),
    };
  };
  const fromVisitor = touchShapes(true);
  const fromAgent = touchShapes(false);
  const creation = conversationCreationStatements(db);
  const insertConversation = preparedSync<NewConversation & { contactId: number | null }>()(creation.insert);
  const conversationByToken = preparedSync<{ token: string }>()(creation.byToken);

  const touchConversation = ({ sender, at, conversationId, visitorName }: NewMessage) => {
    const shapes = sender === "visitor" ? fromVisitor : fromAgent;
    // undefined: no name given, keep the stored one; null: the visitor cleared it.
    if (visitorName === undefined) shapes.keepingName(run, { at, conversationId });
    else shapes.renaming(run, { at, conversationId, visitorName });
  };

  const claim = (messageId: number, input: NewMessage) => {
    const ids = [...new Set(input.attachments?.ids ?? [])];
    if (input.attachments === undefined || ids.length === 0) return [];
    return claimedInOrder(
      run.run(claimStatement(db, messageId, input.attachments, input.at, ids).compile()),
      ids,
    );
  };

  /** One append, inside the batch's transaction (as appendIn in messages.ts). */
  const appendIn = (input: NewMessage): Appended => {
    const [inserted] = insertMessage(run, { ...input, via: input.via ?? null });
    if (inserted) {
      touchConversation(input);
      return { message: toMessage(inserted), created: true, attachments: claim(inserted.id, input) };
    }
    // Only a non-null client_id conflicts; SQLite's one writer means the earlier row is
    // committed, or earlier in this very transaction.
    const [existing] = storedMessage(run, {
      conversationId: input.conversationId,
      clientId: input.clientId!,
    });
    if (existing === undefined) throw new Error("appendMessage: the conflicting message is gone");
    return {
      message: toMessage(existing),
      created: false,
      attachments:
        input.attachments === undefined
          ? []
          : run.run(messageAttachmentsStatement(db, existing.id).compile()).map(toAttachment),
    };
  };

  /** A first message creates its conversation in the same transaction (conversationCreator's loop). */
  const appendFirstIn = (input: NewFirstMessage): FirstAppended => {
    const { conversation: visitor, ...message } = input;
    const conversation = createConversation({ ...visitor, at: input.at });
    return { conversation, ...appendIn({ ...message, conversationId: conversation.id }) };
  };
  const createConversation = (input: NewConversation) => {
    for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
      const [inserted] = insertConversation(run, { ...input, contactId: input.contactId ?? null });
      if (inserted) return toConversation(inserted, null);
      const [existing] = conversationByToken(run, { token: input.token });
      if (existing) return toConversationWithLast(existing);
    }
    throw new Error(CREATION_RACE);
  };

  // One commit for the messages of one event-loop turn, with the turn's other writes
  // (sqliteWrites.ts).
  return {
    appendMessage: (input) => sqlite.writes.run(() => appendIn(input)),
    appendFirstMessage: (input) => sqlite.writes.run(() => appendFirstIn(input)),
  };
}

/** Runs compiled queries on the connection as Kysely's SQLite driver would, minus the promises. */
export function syncExecutor(sqlite: SqliteHandle): SyncExecutor {
  const run = statementRunner(sqlite);
  return { run: (query) => run(query).rows };
}
