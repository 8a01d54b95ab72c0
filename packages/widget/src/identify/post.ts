/**
 * `POST /widget/identify` (protocol §12): tells the server who the visitor is, as the site's back
 * end says. The answer's token is the one this browser goes on with: the contact's own when
 * another browser already chats as them. A refusal (a hash that does not match, or none on a
 * site that requires one) is said once on the console, in the server's words, and changes nothing.
 *
 * Sites call it on every page view of a signed-in user, and the server takes a few dozen calls
 * per token in ten minutes: a call the server already accepted for this token, word for word, is
 * answered from storage (every tab of the browser shares it) instead of asked again.
 */
import type { IdentifyRequest, IdentifyResponse } from "@parley/protocol";
import type { Visitor } from "../api.js";
import { GIVEN } from "../mail/given.js";
import { KEYS, type KeyValue } from "../storage.js";

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
  storage: KeyValue,
): Promise<IdentifyResponse | undefined> {
  const request = identifyBody(token, site, visitor);
  const [asked, answered] = (storage.get(KEYS.identified) ?? "").split("\n");
  if (asked === request && answered) return JSON.parse(answered) as IdentifyResponse;
  let ok = false;
  let status = 0;
  let body: Partial<IdentifyResponse> & { error?: string } = {};
  try {
    const response = await fetch(`${origin}/widget/identify`, {
      method: "POST",
      credentials: "omit",
      headers: { "content-type": "application/json" },
      body: request,
    });
    ({ ok, status } = response);
    body = (await response.json()) as typeof body;
  } catch {
    /* offline, or not JSON: said below */
  }
  if (ok && typeof body.token === "string") {
    const answer: IdentifyResponse = { token: body.token, verified: body.verified === true };
    storage.set(KEYS.identified, `${request}\n${JSON.stringify(answer)}`);
    // The contact has an address: the widget does not ask for one (§16).
    if (visitor.email) storage.set(GIVEN, "1");
    return answer;
  }
  console.error(`Parley: identify failed (${status || "network error"}): ${body.error ?? "no answer"}`);
  return undefined;
}
