/** The REST endpoints the inbox uses (protocol §7 and docs/protocol.md), typed from wire.ts. */
import type {
  Agent,
  AgentRole,
  ContactDetailResponse,
  ContactResponse,
  ContactsResponse,
  Conversation,
  ConversationContextResponse,
  ConversationsResponse,
  CreateSiteRequest,
  MessagesResponse,
  MeResponse,
  OnboardingResponse,
  OwnerSettings,
  OwnerSettingsResponse,
  IdentitySecretResponse,
  CreateLabelRequest,
  Label,
  LabelsResponse,
  UpdateLabelRequest,
  ViewCounts,
  MergeContactsRequest,
  SiteResponse,
  SitesResponse,
  UpdateContactRequest,
  UpdateSiteRequest,
} from "@parley/protocol";
import { AVATAR_PATH, type AvatarResponse } from "@parley/protocol";
import { ApiError, request } from "./http.js";

/** `PUT /agents/me/avatar` with a multipart `file`; a refusal is an ApiError with the server's text. */
async function uploadAvatar(file: Blob, name: string): Promise<AvatarResponse> {
  const form = new FormData();
  form.append("file", file, name);
  let response: Response;
  try {
    response = await fetch(AVATAR_PATH, {
      method: "PUT",
      credentials: "same-origin",
      headers: { accept: "application/json" },
      body: form,
    });
  } catch {
    throw new ApiError(0, "The server cannot be reached. Check your connection.");
  }
  if (!response.ok) {
    let text = "";
    try {
      const body = (await response.json()) as { error?: unknown };
      if (typeof body.error === "string") text = body.error;
    } catch {
      /* not JSON: the status says enough */
    }
    throw new ApiError(response.status, text);
  }
  return (await response.json()) as AvatarResponse;
}

export const PAGE_SIZE = 50;

export const rest = {
  login: (username: string, password: string) =>
    request<{ ok: boolean; agent: Agent }>("POST", "/auth/login", {
      body: { username, password },
      quietUnauthorized: true,
    }),
  logout: () => request<{ ok: boolean }>("DELETE", "/auth/logout", { quietUnauthorized: true }),
  me: () => request<MeResponse>("GET", "/auth/me", { quietUnauthorized: true }),

  conversations: (query: Record<string, string>, before?: string) =>
    request<ConversationsResponse>("GET", "/conversations", {
      query: { ...query, limit: PAGE_SIZE, before },
    }),
  conversation: (id: number) => request<{ conversation: Conversation }>("GET", `/conversations/${id}`),
  messages: (id: number, beforeId?: number) =>
    request<MessagesResponse>("GET", `/conversations/${id}/messages`, {
      query: { before_id: beforeId, limit: PAGE_SIZE },
    }),
  // (§15) Counts and labels
  counts: () => request<ViewCounts>("GET", "/conversations/counts"),
  labels: () => request<LabelsResponse>("GET", "/labels"),
  createLabel: (body: CreateLabelRequest) => request<{ label: Label }>("POST", "/labels", { body }),
  updateLabel: (id: number, body: UpdateLabelRequest) =>
    request<{ label: Label }>("PATCH", `/labels/${id}`, { body }),
  deleteLabel: (id: number) => request<{ ok: boolean }>("DELETE", `/labels/${id}`),
  deleteConversation: (id: number) => request<{ ok: boolean }>("DELETE", `/conversations/${id}`),

  agents: () => request<{ agents: Agent[] }>("GET", "/agents"),
  addAgent: (input: { username: string; password: string; name?: string; role?: AgentRole }) =>
    request<{ agent: Agent }>("POST", "/agents", { body: input }),
  removeAgent: (id: number) => request<{ ok: boolean }>("DELETE", `/agents/${id}`),
  resetPassword: (id: number, password: string) =>
    request<{ ok: boolean }>("PUT", `/agents/${id}/password`, { body: { password } }),
  updateMe: (body: { name?: string; password?: string; current_password?: string }) =>
    request<{ agent: Agent }>("PATCH", "/agents/me", { body }),
  uploadAvatar,
  removeAvatar: () => request<AvatarResponse>("DELETE", AVATAR_PATH),
  onboarding: () => request<OnboardingResponse>("GET", "/onboarding"),

  // Sites and owner settings (§10)
  sites: () => request<SitesResponse>("GET", "/sites"),
  createSite: (body: CreateSiteRequest) => request<SiteResponse>("POST", "/sites", { body }),
  updateSite: (id: number, body: UpdateSiteRequest) =>
    request<SiteResponse>("PATCH", `/sites/${id}`, { body }),
  settings: () => request<OwnerSettingsResponse>("GET", "/settings"),
  updateSettings: (body: Partial<OwnerSettings>) =>
    request<OwnerSettingsResponse>("PATCH", "/settings", { body }),

  // Contacts, identity and the visitor's context (§12)
  context: (conversationId: number) =>
    request<ConversationContextResponse>("GET", `/conversations/${conversationId}/context`),
  contacts: (query: { site_id?: number; q?: string; before?: number }) =>
    request<ContactsResponse>("GET", "/contacts", { query: { ...query, limit: PAGE_SIZE } }),
  contact: (id: number) => request<ContactDetailResponse>("GET", `/contacts/${id}`),
  updateContact: (id: number, body: UpdateContactRequest) =>
    request<ContactResponse>("PATCH", `/contacts/${id}`, { body }),
  mergeContacts: (id: number, body: MergeContactsRequest) =>
    request<ContactResponse>("POST", `/contacts/${id}/merge`, { body }),
  identitySecret: (siteId: number) => request<IdentitySecretResponse>("GET", `/sites/${siteId}/identity`),
  rotateIdentitySecret: (siteId: number) =>
    request<IdentitySecretResponse>("POST", `/sites/${siteId}/identity/rotate`),

  vapidPublicKey: () => request<{ public_key: string }>("GET", "/push/vapid_public_key"),
  savePushSubscription: (body: { endpoint: string; p256dh: string; auth: string }) =>
    request<{ ok: boolean }>("POST", "/push_subscriptions", { body }),
  deletePushSubscription: (endpoint: string) =>
    request<{ ok: boolean }>("DELETE", "/push_subscriptions", { body: { endpoint } }),
};
