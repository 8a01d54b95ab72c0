/**
 * The mail chunk's requests (protocol §12, §16). They never reject: the answer is the HTTP
 * status (0 when there was none) and the body when it was JSON.
 */
export async function post(
  origin: string,
  path: string,
  request: object,
): Promise<{ status: number; body: { token?: unknown } }> {
  try {
    const response = await fetch(`${origin}/widget/${path}`, {
      method: "POST",
      credentials: "omit",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
    return {
      status: response.status,
      body: (await response.json().catch(() => ({}))) as { token?: unknown },
    };
  } catch {
    return { status: 0, body: {} };
  }
}
