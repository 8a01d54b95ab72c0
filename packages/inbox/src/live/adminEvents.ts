/**
 * AdminChannel data as it arrives: checked for a known `type` before the app looks at it, so an
 * addition from a newer server is ignored rather than misread (the shapes are the server's own).
 */
import type { AdminEvent } from "@parley/protocol";

const KNOWN: ReadonlySet<string> = new Set<AdminEvent["type"]>([
  "conversations",
  "new_message",
  "history",
  "conversation_deleted",
  "error",
  "typing",
  "conversation_updated",
  "caught_up",
  "site_updated",
  "visitor_page",
  // §15
  "labels_updated",
  "agent_availability",
  "view_counts",
  "note_created",
  "notes",
]);

export function asAdminEvent(value: unknown): AdminEvent | null {
  if (typeof value !== "object" || value === null) return null;
  const type = (value as { type?: unknown }).type;
  return typeof type === "string" && KNOWN.has(type) ? (value as AdminEvent) : null;
}
