/** An agent's personal API tokens (protocol §11): listed, created (shown once) and revoked. */
import type { ApiTokensResponse, CreateApiTokenRequest, CreatedApiTokenResponse } from "@parley/protocol";
import { request } from "./http.js";

export const apiTokens = {
  /** `everyone`: an owner's view of every agent's tokens. */
  list: (everyone: boolean) =>
    request<ApiTokensResponse>("GET", "/api_tokens", { query: { all: everyone ? "true" : undefined } }),
  create: (body: CreateApiTokenRequest) => request<CreatedApiTokenResponse>("POST", "/api_tokens", { body }),
  revoke: (id: number) => request<{ ok: boolean }>("DELETE", `/api_tokens/${id}`),
};
