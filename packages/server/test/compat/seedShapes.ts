/**
 * The types the seed's frontend relies on, field by field (the seed's PROTOCOL.md §3–§5, §7):
 * each check throws naming the path of the first field whose type differs. Parley's own fields
 * may be present beside them; a seed field may never change type (an object where the admin page
 * renders text unmounts it).
 */
import assert from "node:assert/strict";

type Json = Record<string, unknown>;

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/;

export function isObject(value: unknown, path: string): Json {
  assert.ok(
    typeof value === "object" && value !== null && !Array.isArray(value),
    `${path} is an object: ${JSON.stringify(value)}`,
  );
  return value as Json;
}

export function isList(value: unknown, path: string): unknown[] {
  assert.ok(Array.isArray(value), `${path} is a list: ${JSON.stringify(value)}`);
  return value;
}

export function isId(value: unknown, path: string): number {
  assert.ok(
    typeof value === "number" && Number.isSafeInteger(value) && value > 0,
    `${path} is a positive integer: ${JSON.stringify(value)}`,
  );
  return value;
}

export function isText(value: unknown, path: string): string {
  assert.equal(typeof value, "string", `${path} is a string: ${JSON.stringify(value)}`);
  return value as string;
}

export function isTextOrNull(value: unknown, path: string): string | null {
  assert.ok(
    value === null || typeof value === "string",
    `${path} is a string or null: ${JSON.stringify(value)}`,
  );
  return value;
}

export function isTime(value: unknown, path: string): string {
  const text = isText(value, path);
  assert.match(text, ISO_UTC, `${path} is ISO 8601 UTC`);
  assert.ok(!Number.isNaN(Date.parse(text)), `${path} is a real time`);
  return text;
}

/** `Message`: `{id, sender: "visitor"|"admin", content, created_at}`. */
export function seedMessage(value: unknown, path = "message"): Json {
  const message = isObject(value, path);
  isId(message.id, `${path}.id`);
  assert.ok(
    message.sender === "visitor" || message.sender === "admin",
    `${path}.sender: ${JSON.stringify(message.sender)}`,
  );
  isText(message.content, `${path}.content`);
  isTime(message.created_at, `${path}.created_at`);
  return message;
}

/**
 * `Conversation`: `{id, session_token, visitor_name, unread_count, last_message?, updated_at,
 * created_at}`; `last_message` is the preview text the admin page renders as a React child.
 */
export function seedConversation(value: unknown, path = "conversation"): Json {
  const conversation = isObject(value, path);
  isId(conversation.id, `${path}.id`);
  isText(conversation.session_token, `${path}.session_token`);
  isTextOrNull(conversation.visitor_name, `${path}.visitor_name`);
  const unread = conversation.unread_count;
  assert.ok(
    typeof unread === "number" && Number.isSafeInteger(unread) && unread >= 0,
    `${path}.unread_count: ${JSON.stringify(unread)}`,
  );
  if ("last_message" in conversation) isText(conversation.last_message, `${path}.last_message`);
  isTime(conversation.updated_at, `${path}.updated_at`);
  isTime(conversation.created_at, `${path}.created_at`);
  return conversation;
}

export function seedConversations(value: unknown, path = "conversations"): Json[] {
  return isList(value, path).map((entry, index) => seedConversation(entry, `${path}[${index}]`));
}

export function seedMessages(value: unknown, path = "messages"): Json[] {
  return isList(value, path).map((entry, index) => seedMessage(entry, `${path}[${index}]`));
}

/** `{"error": "<text>"}`. */
export function seedError(value: unknown, path = "body"): string {
  return isText(isObject(value, path).error, `${path}.error`);
}
