/**
 * Resume from a reply email's link (protocol §16): the email links to the site's page with
 * `#parley=<link>`; the widget exchanges the link for the conversation's token before it
 * subscribes, and takes the link out of the address bar whatever the answer, so it is neither
 * bookmarked nor shared. Only a request that got no answer at all (offline) leaves it, for a reload.
 */
import { RESUME_FRAGMENT_KEY, type ResumeRequest } from "@parley/protocol";
import type { AppContext } from "../app/contract.js";
import { GIVEN } from "./given.js";
import { post } from "./post.js";

const PREFIX = `${RESUME_FRAGMENT_KEY}=`;

/** The link in a fragment (`#parley=…`, also among other `&`-separated parts), or undefined. */
export function linkIn(hash: string): string | undefined {
  for (const part of hash.slice(1).split("&")) {
    if (!part.startsWith(PREFIX)) continue;
    try {
      return decodeURIComponent(part.slice(PREFIX.length)) || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The fragment without the link: "" when nothing else was in it. */
export function withoutLink(hash: string): string {
  const rest = hash
    .slice(1)
    .split("&")
    .filter((part) => !part.startsWith(PREFIX))
    .join("&");
  return rest ? `#${rest}` : "";
}

export async function resume({ origin, page, storage }: AppContext): Promise<string | undefined> {
  const link = linkIn(location.hash);
  if (!link) return undefined;
  const request: ResumeRequest = { link, site: page.site };
  const { status, body } = await post(origin, "resume", request);
  if (!status) return undefined;
  history.replaceState(history.state, "", location.pathname + location.search + withoutLink(location.hash));
  if (status !== 200 || typeof body.token !== "string") return undefined;
  // The link came by email: the contact has an address, there is nothing to ask.
  storage.set(GIVEN, "1");
  return body.token;
}
