/**
 * What a prepared query (store/queries/prepared.ts) must refuse to compile. Never run: `npm run
 * typecheck` checks it, and an `@ts-expect-error` whose line compiles is itself an error, so each
 * refused call below must stay refused. Each line makes one mistake and nothing else.
 */
import type { Kysely } from "kysely";
import type { Sender } from "@parley/protocol";
import { prepared } from "../../src/store/queries/prepared.js";
import type { Database } from "../../src/store/schema.js";

declare const db: Kysely<Database>;

const insert = prepared<{ conversationId: number; sender: Sender; content: string; at: string }>()((p) =>
  db
    .insertInto("messages")
    .values({ conversation_id: p.conversationId, sender: p.sender, content: p.content, created_at: p.at })
    .returning(["id", "content"]),
);

// The rows' type comes from the builder.
const rows: Promise<Array<{ id: number; content: string }>> = insert(db, {
  conversationId: 1,
  sender: "visitor",
  content: "hi",
  at: "2024-01-01T00:00:00.000Z",
});
void rows;

// A wrong type: what a swap of the conversation and the content would pass.
// @ts-expect-error conversationId is a number
void insert(db, { conversationId: "hi", sender: "visitor", content: "hi", at: "2024-01-01T00:00:00.000Z" });
// @ts-expect-error sender is a Sender, not any string
void insert(db, { conversationId: 1, sender: "robot", content: "hi", at: "2024-01-01T00:00:00.000Z" });
// @ts-expect-error content is not nullable
void insert(db, { conversationId: 1, sender: "visitor", content: null, at: "2024-01-01T00:00:00.000Z" });

// A missing parameter.
// @ts-expect-error at is missing
void insert(db, { conversationId: 1, sender: "visitor", content: "hi" });
// @ts-expect-error at is undefined, which SQL has no value for
void insert(db, { conversationId: 1, sender: "visitor", content: "hi", at: undefined });

// An extra parameter.
const extra = {
  conversationId: 1,
  sender: "visitor",
  content: "hi",
  at: "2024-01-01T00:00:00.000Z",
} as const;
// @ts-expect-error clientId is not a parameter of this query
void insert(db, { ...extra, clientId: "c" });

// No parameters object, or positional arguments as before.
// @ts-expect-error the parameters are one object
void insert(db, 1, "visitor", "hi", "2024-01-01T00:00:00.000Z");

// Inside the builder, a placeholder has its parameter's type, checked against the column.
prepared<{ id: string }>()((p) =>
  // @ts-expect-error conversations.id is a number, the parameter a string
  db.selectFrom("conversations").selectAll().where("id", "=", p.id),
);
prepared<{ name: string | null }>()((p) =>
  // @ts-expect-error conversations.visitor_token is not nullable
  db.updateTable("conversations").set({ visitor_token: p.name }),
);
prepared<{ id: number }>()((p) =>
  // @ts-expect-error a placeholder names a declared parameter
  db.selectFrom("conversations").selectAll().where("id", "=", p.conversationId),
);

// A parameter's type must be a value SQL can bind.
// @ts-expect-error an optional parameter could be undefined
prepared<{ name?: string }>();
