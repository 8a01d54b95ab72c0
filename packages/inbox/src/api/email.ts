/** Email (protocol §16): its status and test (owners), each agent's alerts, and transcripts. */
import type {
  AgentEmailRequest,
  AgentEmailResponse,
  AgentTranscriptRequest,
  EmailStatusResponse,
  TestEmailRequest,
} from "@parley/protocol";
import { request } from "./http.js";

export const email = {
  status: () => request<EmailStatusResponse>("GET", "/settings/email"),
  test: (body: TestEmailRequest) => request<{ ok: boolean }>("POST", "/settings/email/test", { body }),
  alerts: () => request<AgentEmailResponse>("GET", "/agents/me/email"),
  saveAlerts: (body: AgentEmailRequest) => request<AgentEmailResponse>("PUT", "/agents/me/email", { body }),
  transcript: (conversationId: number, body: AgentTranscriptRequest) =>
    request<{ ok: boolean }>("POST", `/conversations/${conversationId}/transcript`, { body }),
};
