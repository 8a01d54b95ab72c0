/**
 * The privacy suites' world: a real server with an in-memory audit trail, people who chat (a PNG,
 * a reply, a note, a page seen, a contact with a name and email), and a look at every table from
 * outside the server for what is left of someone.
 */
import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import yauzl from "yauzl";
import type { AuditRecord, AuditTrail } from "../../src/chat/auditTrail.js";
import { sqlitePath } from "../../src/store/sqliteDatabase.js";
import { png } from "../files/fixtures.js";
import { agentSession, upload, visitorSession } from "../files/harness.js";
import {
  AGENT_ORIGIN,
  WIDGET_ORIGIN,
  login,
  startTestServer,
  visitorToken,
  type TestServer,
} from "../support/testServer.js";

export const SECRET = "p".repeat(64);

/** Collects what the server records, for the tests to read. */
export class MemoryAuditTrail implements AuditTrail {
  readonly records: AuditRecord[] = [];

  async record(entry: AuditRecord): Promise<void> {
    this.records.push(entry);
    return Promise.resolve();
  }
}

export interface PrivacyWorld {
  server: TestServer;
  audit: MemoryAuditTrail;
  cookie: string;
  databaseUrl: string | undefined;
  /** A REST call as the owner (or with `cookie`), JSON in and out. */
  call(method: string, path: string, body?: unknown, cookie?: string): Promise<Response>;
  dispose(): Promise<void>;
}

/** `storeTrail`: privacy records into the store's audit log (as in production), not `audit`. */
export async function privacyWorld(
  env: Record<string, string> = {},
  options: { storeTrail?: boolean } = {},
): Promise<PrivacyWorld> {
  const audit = new MemoryAuditTrail();
  const server = await startTestServer(
    { SECRET_KEY_BASE: SECRET, RATE_LIMIT_PER_MINUTE: "1000", ...env },
    undefined,
    options.storeTrail === true ? {} : { audit },
  );
  const cookie = await login(server.url);
  return {
    server,
    audit,
    cookie,
    databaseUrl: env.DATABASE_URL,
    call: (method, path, body, as = cookie) =>
      fetch(`${server.url}${path}`, {
        method,
        headers: {
          cookie: as,
          origin: AGENT_ORIGIN,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    dispose: () => server.dispose(),
  };
}

/** Someone who chatted: everything the tests look for afterwards. */
export interface Person {
  token: string;
  /** A word only this person's records hold (their messages, note, name, page). */
  marker: string;
  email: string;
  conversationId: number;
  contactId: number;
  attachmentId: number;
  picture: Buffer;
  blobKeys: string[];
}

/**
 * A visitor sends a PNG and a line, leaves their name and email, sees a page; an agent answers
 * and writes a note.
 */
export async function personWhoChatted(world: PrivacyWorld, label: string): Promise<Person> {
  const { server } = world;
  const token = visitorToken();
  const marker = `m${randomUUID().replaceAll("-", "")}`;
  const email = `${marker}@visitor.example`;
  const picture = await png(40, 30);
  const uploaded = await upload(server, picture, { token, filename: "screen.png", type: "image/png" });
  if (uploaded.status !== 201) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
  const { id: attachmentId } = (await uploaded.json()) as { id: number };
  const visitor = await visitorSession(server, token);
  try {
    await visitor.send({ content: `${label} says ${marker}`, attachment_ids: [attachmentId] });
  } finally {
    visitor.close();
  }
  const details = await fetch(`${server.url}/widget/contact`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: WIDGET_ORIGIN },
    body: JSON.stringify({ token, name: `${label} ${marker}`, email }),
  });
  if (details.status !== 200) throw new Error(`widget contact: ${details.status} ${await details.text()}`);
  const conversation = await server.store.findConversationByToken(token);
  if (conversation?.contactId === null || conversation === undefined) throw new Error("no contact made");
  const site = await server.store.getDefaultSite();
  const seen = await server.store.ensureVisitor(site.id, token, new Date().toISOString());
  await server.store.recordPageView(seen.id, {
    page: { url: `https://shop.example/${marker}`, title: `Page of ${marker}`, at: new Date().toISOString() },
    referrer: null,
    utm: {},
    userAgent: "Mozilla/5.0",
    browser: null,
    os: null,
    device: null,
    language: "en",
    timeZone: null,
    ipAddress: "203.0.113.9",
    keepPages: 50,
  });
  const agent = await agentSession(server, world.cookie);
  try {
    await agent.send(conversation.id, { content: `Answer to ${marker}` });
  } finally {
    agent.close();
  }
  const note = await world.call("POST", `/conversations/${conversation.id}/notes`, {
    content: `Note about ${marker}`,
  });
  if (note.status !== 201) throw new Error(`note: ${note.status} ${await note.text()}`);
  const stored = (await server.store.getAttachment(attachmentId))!;
  return {
    token,
    marker,
    email,
    conversationId: conversation.id,
    contactId: conversation.contactId,
    attachmentId,
    picture,
    blobKeys: [stored.storageKey, ...(stored.thumbnailKey === null ? [] : [stored.thumbnailKey])],
  };
}

/**
 * (§18) The agent resolves the person's conversation and the visitor rates it, the comment holding
 * their marker: a rating is theirs to export and to erase.
 */
export async function ratedByThem(world: PrivacyWorld, person: Person): Promise<void> {
  const visitor = await visitorSession(world.server, person.token);
  try {
    const asked = visitor.cable.next(
      (f) => (f.message as { type?: string } | undefined)?.type === "rating_requested",
    );
    const closed = await world.call("POST", `/conversations/${person.conversationId}/close`);
    if (closed.status !== 200) throw new Error(`close: ${closed.status} ${await closed.text()}`);
    await asked;
    const rated = visitor.cable.next((f) => (f.message as { type?: string } | undefined)?.type === "rated");
    visitor.rate({ score: 4, comment: `Rated by ${person.marker}` });
    await rated;
  } finally {
    visitor.close();
  }
}

type Row = Record<string, unknown>;

/** Every row of every table, read from outside the server. */
export async function everyRow(world: PrivacyWorld): Promise<Map<string, Row[]>> {
  const tables = new Map<string, Row[]>();
  if (world.databaseUrl === undefined) {
    const db = new Database(sqlitePath(world.server.storageDir), { readonly: true });
    try {
      const names = db
        .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
        .all() as Array<{ name: string }>;
      for (const { name } of names) tables.set(name, db.prepare(`select * from "${name}"`).all() as Row[]);
    } finally {
      db.close();
    }
    return tables;
  }
  const client = new pg.Client({ connectionString: world.databaseUrl });
  await client.connect();
  try {
    const names = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'",
    );
    for (const { table_name: name } of names.rows) {
      tables.set(name, (await client.query<Row>(`select * from "${name}"`)).rows);
    }
  } finally {
    await client.end();
  }
  return tables;
}

/** What any table still holds of the person: their words, token, email, or their ids. */
export function tracesOf(
  tables: Map<string, Row[]>,
  person: Pick<Person, "token" | "marker" | "email" | "conversationId" | "contactId">,
): string[] {
  const found: string[] = [];
  for (const [table, rows] of tables) {
    for (const row of rows) {
      const text = JSON.stringify(row, (_key, value: unknown) =>
        typeof value === "bigint" ? value.toString() : value,
      );
      const same = (column: string, id: number) =>
        row[column] !== null && row[column] !== undefined && Number(row[column]) === id;
      if (
        [person.token, person.marker, person.email].some((needle) => text.includes(needle)) ||
        same("conversation_id", person.conversationId) ||
        same("contact_id", person.contactId) ||
        (table === "conversations" && same("id", person.conversationId)) ||
        (table === "contacts" && same("id", person.contactId))
      ) {
        found.push(`${table}: ${text.slice(0, 160)}`);
      }
    }
  }
  return found;
}

/** The entries of a ZIP archive by name. */
export function unzip(buffer: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (error, zip) => {
      if (error !== null || zip === undefined) return reject(error ?? new Error("no archive"));
      const entries = new Map<string, Buffer>();
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError !== null || stream === undefined)
            return reject(streamError ?? new Error("no stream"));
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("error", reject);
          stream.on("end", () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(entries));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

/** Makes an agent who is not an owner and returns their cookie. */
export async function plainAgent(world: PrivacyWorld): Promise<string> {
  const credentials = { username: `agent${Date.now().toString(36)}`, password: "a long enough password" };
  const made = await world.call("POST", "/agents", { ...credentials, name: "Plain Agent", role: "agent" });
  if (made.status !== 201) throw new Error(`agent: ${made.status} ${await made.text()}`);
  return login(world.server.url, credentials);
}

/** Moves a conversation's messages back to `at` (retention reads their times), from outside. */
export async function backdateMessages(
  world: PrivacyWorld,
  conversationId: number,
  at: string,
): Promise<void> {
  if (world.databaseUrl === undefined) {
    const db = new Database(sqlitePath(world.server.storageDir));
    try {
      db.prepare("update messages set created_at = ? where conversation_id = ?").run(at, conversationId);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: world.databaseUrl });
  await client.connect();
  try {
    await client.query("update messages set created_at = $1 where conversation_id = $2", [
      at,
      conversationId,
    ]);
  } finally {
    await client.end();
  }
}
