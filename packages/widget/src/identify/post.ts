/**
 * `POST /widget/identify` (protocol §12): tells the server who the visitor is, as the site's back
 * end says. The answer's token is the one this browser goes on with: the contact's own when
 * another browser already chats as them. A refusal (a hash that does not match, or none on a
 * site that requires one) is said once on the console, in the server's words, and changes nothing.
 */
import type { IdentifyRequest, IdentifyResponse } from "@parley/protocol";
import type { Visitor } from "../api.js";

/** The request's JSON: the known fields only, a numeric id as its digits, dates as `{date}`. */
export function identifyBody(token: string, site: string | undefined, visitor: Visitor): string {
  const { id, hash, email, name, attributes } = visitor;
  const request: IdentifyRequest = {
    token,
    site,
    // A numeric user id is the same id as its digits: the back end hashes those.
    id: id === undefined || id === null ? undefined : String(id),
    hash,
    email,
    name,
    attributes: attributes as IdentifyRequest["attributes"],
  };
  // A Date's toJSON has made it an ISO string by the time the replacer sees it; its holder still
  // has the Date. Undefined fields are left out.
  return JSON.stringify(request, function (this: Record<string, unknown>, key, value: unknown) {
    return this[key] instanceof Date ? { date: value } : value;
  });
}

export async function identify(
  origin: string,
  site: string | undefined,
  token: string,
  visitor: Visitor,
): Promise<IdentifyResponse | undefined> {
  let ok = false;
  let status = 0;
  let body: Partial<IdentifyResponse> & { error?: string } = {};
  try {
    const response = await fetch(`${origin}/widget/identify`, {
      method: "POST",
      credentials: "omit",
      headers: { "content-type": "application/json" },
      body: identifyBody(token, site, visitor),
    });
    ({ ok, status } = response);
    body = (await response.json()) as typeof body;
  } catch {
    /* offline, or not JSON: said below */
  }
  if (ok && typeof body.token === "string") return body as IdentifyResponse;
  console.error(`Parley: identify failed (${status || "network error"}): ${body.error ?? "no answer"}`);
  return undefined;
}
