/** Canned replies over REST (§15). */
import type {
  CannedRepliesResponse,
  CannedReply,
  CreateCannedReplyRequest,
  UpdateCannedReplyRequest,
} from "@parley/protocol";
import { request } from "./http.js";

export const cannedApi = {
  list: (siteId: number) =>
    request<CannedRepliesResponse>("GET", "/canned_replies", { query: { site_id: siteId } }),
  create: (body: CreateCannedReplyRequest) =>
    request<{ canned_reply: CannedReply }>("POST", "/canned_replies", { body }),
  update: (id: number, body: UpdateCannedReplyRequest) =>
    request<{ canned_reply: CannedReply }>("PATCH", `/canned_replies/${id}`, { body }),
  remove: (id: number) => request<{ ok: boolean }>("DELETE", `/canned_replies/${id}`),
};
