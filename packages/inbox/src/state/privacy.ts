/**
 * The privacy tools' pure parts (§17): the audit log's words (what was done, by whom, with
 * which details), the query its filters make, and the typed confirmation an erasure asks for.
 * The request always says `"erase"`; the owner types the word of their own language.
 */
import type { AuditAction, AuditEntry, EraseRequest } from "@parley/protocol";
import { AUDIT_ACTIONS } from "@parley/protocol";
import type { Messages } from "../i18n/index.js";

/** What the erase routes are sent, whatever the owner typed in their language. */
export const ERASE_REQUEST: EraseRequest = { confirm: "erase" };

/** The typed word matches the expected one, case and surrounding spaces aside. */
export function eraseConfirmed(typed: string, word: string): boolean {
  return typed.trim().toLocaleLowerCase() === word.trim().toLocaleLowerCase() && word.trim() !== "";
}

/** Each action's i18n key: `audit_` and its name with the dot as an underscore. */
export function auditActionKey(action: AuditAction): keyof Messages {
  return `audit_${action.replace(".", "_")}` as keyof Messages;
}

/** An action in words; an action newer than this inbox shows as its code. */
export function actionWords(action: string, t: Messages): string {
  if (!(AUDIT_ACTIONS as readonly string[]).includes(action)) return action;
  const words = t[auditActionKey(action as AuditAction)];
  return typeof words === "string" ? words : action;
}

/** Who acted: the agent by name (kept after deletion), a token by id, Parley, or nobody known. */
export function actorWords(
  entry: Pick<AuditEntry, "agent_id" | "agent_name" | "api_token_id" | "ip_address" | "action">,
  t: Messages,
): string {
  if (entry.agent_name !== null && entry.agent_name !== "") return entry.agent_name;
  if (entry.agent_id !== null) return t.auditAgentNumber(String(entry.agent_id));
  if (entry.api_token_id !== null) return t.auditApiToken(String(entry.api_token_id));
  // No agent, no token and no address: the server's own work (retention).
  if (entry.ip_address === null) return t.auditSystem;
  return t.auditUnknown;
}

/** What it was done to, e.g. "contact #12"; empty when nothing in particular. */
export function targetWords(entry: Pick<AuditEntry, "target_type" | "target_id">): string {
  if (entry.target_type === null) return entry.target_id === null ? "" : `#${entry.target_id}`;
  return entry.target_id === null ? entry.target_type : `${entry.target_type} #${entry.target_id}`;
}

/** The details as compact `key: value` text, one pair after another, in the server's order. */
export function detailsText(details: AuditEntry["details"], t: Messages): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${valueText(value, t)}`)
    .join(", ");
}

function valueText(value: AuditEntry["details"][string], t: Messages): string {
  if (value === null) return "—";
  if (typeof value === "boolean") return value ? t.yes : t.no;
  if (Array.isArray(value)) return value.length === 0 ? "—" : value.join(" ");
  return String(value);
}

export interface AuditFilters {
  action: AuditAction | "";
  agentId: string;
  /** `yyyy-mm-dd` from a date field, in the owner's own time zone; "" for none. */
  since: string;
  until: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = { action: "", agentId: "", since: "", until: "" };

/**
 * The `GET /audit_log` query: `since` at the start of its day and `until` at the end of its
 * day (both in the browser's time zone, as the owner picked them), `before` for the next page.
 */
export function auditQuery(
  filters: AuditFilters,
  before: number | null,
): Record<string, string | number | undefined> {
  return {
    action: filters.action === "" ? undefined : filters.action,
    agent_id: /^\d+$/.test(filters.agentId) ? Number(filters.agentId) : undefined,
    since: dayBound(filters.since, false),
    until: dayBound(filters.until, true),
    before: before ?? undefined,
  };
}

function dayBound(day: string, end: boolean): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (match === null) return undefined;
  const [, year, month, date] = match.map(Number) as [number, number, number, number];
  const at = end
    ? new Date(year, month - 1, date + 1, 0, 0, 0, -1)
    : new Date(year, month - 1, date, 0, 0, 0, 0);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
