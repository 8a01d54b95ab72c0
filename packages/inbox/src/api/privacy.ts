/** Privacy (protocol §17, owners): exports, erasures and the audit log. */
import type { AuditLogResponse, EraseResponse } from "@parley/protocol";
import { ERASE_REQUEST } from "../state/privacy.js";
import { request } from "./http.js";

/** Whose data: a contact, or a conversation without one. */
export type PrivacySubject = { kind: "contact" | "conversation"; id: number };

const base = ({ kind, id }: PrivacySubject): string =>
  kind === "contact" ? `/contacts/${id}` : `/conversations/${id}`;

export const privacy = {
  /** A plain link: the browser downloads the archive with the session cookie. */
  exportUrl: (subject: PrivacySubject) => `${base(subject)}/export`,
  erase: (subject: PrivacySubject) =>
    request<EraseResponse>("POST", `${base(subject)}/erase`, { body: ERASE_REQUEST }),
  auditLog: (query: Record<string, string | number | undefined>) =>
    request<AuditLogResponse>("GET", "/audit_log", { query: { ...query, limit: 50 } }),
};
