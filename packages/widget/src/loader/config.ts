/**
 * The site's settings from the server (`GET /widget/config`); the widget still works (with its
 * own) if they don't come. A named site the server refuses (unknown, archived, or not allowed on
 * this page's origin) is different: its chat could never connect, so that is an error.
 */
import type { WidgetConfig } from "@parley/protocol";
import { withSite } from "../site.js";

const CONFIG_TIMEOUT_MS = 4000;

export async function fetchConfig(
  origin: string,
  site: string | undefined,
): Promise<Partial<WidgetConfig> | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CONFIG_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(withSite(`${origin}/widget/config`, site), {
      credentials: "omit",
      signal: controller.signal,
    });
    if (response.ok) {
      const body: unknown = await response.json();
      // Only its known fields are read, each checked where it is used (settings.ts).
      return typeof body === "object" && body !== null ? body : null;
    }
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
  if (site && (response.status === 403 || response.status === 404)) {
    throw new Error(
      `site ${site}: ${response.status === 404 ? "unknown or archived" : "not allowed on this origin"}`,
    );
  }
  return null;
}
