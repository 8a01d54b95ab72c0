/**
 * Email (§16) as the inbox shows it: an agent's alerts form as typed and the PUT it becomes, what
 * the status says is missing, and which of the server's refusals means what, so each gets words
 * of its own rather than a bare status code.
 */
import type {
  AgentEmailAlerts,
  AgentEmailRequest,
  AgentEmailResponse,
  EmailStatusResponse,
} from "@parley/protocol";

export const EMAIL_ALERT_CHOICES: readonly AgentEmailAlerts[] = ["off", "within_hours", "always"];
export const MIN_ALERT_MINUTES = 1;
export const MAX_ALERT_MINUTES = 1440;

/** The alerts form as typed: the minutes as the text field holds them. */
export interface AlertsDraft {
  email: string;
  email_alerts: AgentEmailAlerts;
  minutes: string;
}

export function alertsDraft(saved: AgentEmailResponse): AlertsDraft {
  return {
    email: saved.email ?? "",
    email_alerts: saved.email_alerts,
    minutes: String(saved.email_alert_after_minutes),
  };
}

/**
 * The PUT for the form, or why it cannot go: minutes that are not a whole number in 1–1440, or
 * alerts asked for without an address to send them to. The address itself is the server's to judge.
 */
export function alertsRequest(
  draft: AlertsDraft,
): { request: AgentEmailRequest } | { invalid: "minutes" | "email" } {
  const minutes = draft.minutes.trim();
  if (!/^\d{1,5}$/.test(minutes)) return { invalid: "minutes" };
  const count = Number(minutes);
  if (count < MIN_ALERT_MINUTES || count > MAX_ALERT_MINUTES) return { invalid: "minutes" };
  const address = draft.email.trim();
  if (address === "" && draft.email_alerts !== "off") return { invalid: "email" };
  return {
    request: {
      email: address === "" ? null : address,
      email_alerts: draft.email_alerts,
      email_alert_after_minutes: count,
    },
  };
}

/** What turns sending on (all three), and what adds reading answers (docs/email.md). */
export const SENDING_VARIABLES = ["SMTP_URL", "MAIL_FROM", "PUBLIC_URL"] as const;
export const RECEIVING_VARIABLE = "IMAP_URL";

/** The environment variables still to set for what is off: sending needs three, receiving one more. */
export function missingVariables(status: Pick<EmailStatusResponse, "sending" | "receiving">): string[] {
  return [...(status.sending ? [] : SENDING_VARIABLES), ...(status.receiving ? [] : [RECEIVING_VARIABLE])];
}

/** What a refused email request means: email is off (409), a bad address (400), no address (422). */
export type EmailRefusal = "off" | "badAddress" | "noAddress";

export function emailRefusal(status: number): EmailRefusal | null {
  switch (status) {
    case 409:
      return "off";
    case 400:
      return "badAddress";
    case 422:
      return "noAddress";
    default:
      return null;
  }
}
