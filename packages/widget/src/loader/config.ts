/** The site's defaults from the server; the widget still works (with its own) if they don't come. */
import type { WidgetConfig } from "@parley/protocol";

const CONFIG_TIMEOUT_MS = 4000;

export async function fetchConfig(origin: string): Promise<Partial<WidgetConfig> | null> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CONFIG_TIMEOUT_MS);
  try {
    const response = await fetch(`${origin}/widget/config`, {
      credentials: "omit",
      signal: controller.signal,
    });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    // Only its known fields are read, each checked where it is used (settings.ts).
    return typeof body === "object" && body !== null ? body : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
