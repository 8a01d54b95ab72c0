/**
 * What must still hold after the fuzzing: the SQLite file is sound, every stored row is within
 * the contract's bounds and reads back through the REST API, and a visitor still gets a
 * conversation going end to end.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import {
  MAX_CLIENT_ID_LENGTH,
  MAX_MESSAGE_LENGTH,
  MAX_NOTE_LENGTH,
  MAX_PAGE_TITLE_LENGTH,
  MAX_PAGE_URL_LENGTH,
  MAX_VISITOR_NAME_LENGTH,
} from "@parley/protocol";
import { SQLITE_FILE_NAME } from "../../../src/store/sqliteDatabase.js";
import { openRawCable } from "../../support/rawCable.js";
import { WIDGET_ORIGIN, visitorToken } from "../../support/testServer.js";
import type { FuzzServer } from "./fuzzServer.js";

/** A bound in characters; the contract counts UTF-16 units or code points, so either passes. */
function within(text: string | null, max: number): boolean {
  return text === null || text.length <= max || [...text].length <= max;
}

/** Problems with the stored rows, read straight from the file (read-only, beside the server). */
export function storedRowProblems(storageDir: string): string[] {
  const db = new Database(join(storageDir, SQLITE_FILE_NAME), { readonly: true });
  const problems: string[] = [];
  try {
    const integrity = db.prepare("pragma integrity_check").all() as Array<{ integrity_check: string }>;
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== "ok")
      problems.push(`integrity_check: ${JSON.stringify(integrity)}`);
    const foreign = db.prepare("pragma foreign_key_check").all();
    if (foreign.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(foreign).slice(0, 300)}`);
    const messages = db.prepare("select id, sender, content, client_id from messages").all() as Array<{
      id: number;
      sender: string;
      content: string;
      client_id: string | null;
    }>;
    for (const m of messages) {
      if (typeof m.content !== "string" || !within(m.content, MAX_MESSAGE_LENGTH))
        problems.push(`message ${m.id}: content of ${String(m.content?.length)}`);
      if (!within(m.client_id, MAX_CLIENT_ID_LENGTH))
        problems.push(`message ${m.id}: client_id of ${m.client_id!.length}`);
    }
    const conversations = db.prepare("select id, visitor_name from conversations").all() as Array<{
      id: number;
      visitor_name: string | null;
    }>;
    for (const c of conversations) {
      if (!within(c.visitor_name, MAX_VISITOR_NAME_LENGTH))
        problems.push(`conversation ${c.id}: visitor_name of ${c.visitor_name!.length}`);
    }
    const notes = db.prepare("select id, content from notes").all() as Array<{ id: number; content: string }>;
    for (const n of notes)
      if (!within(n.content, MAX_NOTE_LENGTH)) problems.push(`note ${n.id}: content of ${n.content.length}`);
    const pages = db.prepare("select id, url, title from page_views").all() as Array<{
      id: number;
      url: string;
      title: string | null;
    }>;
    for (const p of pages) {
      if (!within(p.url, MAX_PAGE_URL_LENGTH) || !within(p.title, MAX_PAGE_TITLE_LENGTH))
        problems.push(`page view ${p.id}: too long`);
    }
    return problems;
  } finally {
    db.close();
  }
}

/** Every conversation the file holds reads back through REST, its messages too. */
export async function restReadProblems(
  server: FuzzServer,
  limit = 400,
): Promise<{ read: number; problems: string[] }> {
  const db = new Database(join(server.storageDir, SQLITE_FILE_NAME), { readonly: true });
  const ids = (
    db.prepare("select id from conversations order by id desc limit ?").all(limit) as Array<{ id: number }>
  ).map((row) => row.id);
  db.close();
  const headers = { authorization: `Bearer ${server.apiToken}` };
  const problems: string[] = [];
  for (const id of ids) {
    for (const path of [`/conversations/${id}`, `/conversations/${id}/messages`]) {
      const response = await fetch(`${server.url}${path}`, { headers });
      const text = await response.text();
      if (response.status !== 200) problems.push(`${path}: ${response.status} ${text.slice(0, 200)}`);
      else JSON.parse(text);
    }
  }
  const list = await fetch(`${server.url}/conversations?state=all&limit=200`, { headers });
  if (list.status !== 200) problems.push(`/conversations: ${list.status}`);
  return { read: ids.length, problems };
}

/** A new visitor says hello on the widget's site and the owner reads it over REST. */
export async function visitorRoundTrip(server: FuzzServer): Promise<void> {
  const cable = await openRawCable(server.url, { origin: WIDGET_ORIGIN });
  try {
    const token = visitorToken();
    const id = cable.subscribe({ channel: "VisitorChannel", token });
    await cable.next((f) => f.identifier === id && f.type === "confirm_subscription", 10_000);
    const content = `still here ${token}`;
    cable.perform(id, { action: "send_message", content });
    await cable.next(
      (f) => (f.message as { message?: { content?: string } } | undefined)?.message?.content === content,
      10_000,
    );
    const db = new Database(join(server.storageDir, SQLITE_FILE_NAME), { readonly: true });
    const row = db.prepare("select id from conversations where visitor_token = ?").get(token) as
      { id: number } | undefined;
    db.close();
    if (row === undefined) throw new Error("the visitor's conversation was not stored");
    const conversationId = row.id;
    const response = await fetch(`${server.url}/conversations/${conversationId}/messages`, {
      headers: { authorization: `Bearer ${server.apiToken}` },
    });
    const body = (await response.json()) as { messages: Array<{ content: string }> };
    if (!body.messages.some((m) => m.content === content))
      throw new Error("the owner does not see the visitor's message");
  } finally {
    cable.close();
  }
}
