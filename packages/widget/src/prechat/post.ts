/**
 * `POST /widget/contact` (protocol §12): the name and email the visitor gave, for their token's
 * contact. It never rejects: the answer is the HTTP status, 0 when there was none.
 */
import type { ContactDetailsRequest } from "@parley/protocol";
import type { ContactContext } from "./contract.js";

export async function postContact(
  context: ContactContext,
  details: { name?: string; email?: string },
): Promise<number> {
  // The widget's language is the one the contact's emails are written in (§16).
  const request: ContactDetailsRequest = {
    token: context.token,
    site: context.site,
    locale: context.locale,
    ...details,
  };
  try {
    const response = await fetch(`${context.origin}/widget/contact`, {
      method: "POST",
      credentials: "omit",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    return response.status;
  } catch {
    return 0;
  }
}
