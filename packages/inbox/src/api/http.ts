/**
 * JSON over same-origin fetch, with the session cookie. Every failure becomes an ApiError that
 * carries the server's `{error}` text; a 401 also tells the app that the session is gone.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called on every 401 from a request that expected a session. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Login and "who am I" expect 401s; they must not end the app's session. */
  quietUnauthorized?: boolean;
}

function withQuery(path: string, query: RequestOptions["query"]): string {
  if (query === undefined) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text === "" ? path : `${path}?${text}`;
}

async function errorText(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === "string" && body.error !== "") return body.error;
  } catch {
    /* not JSON: fall through to the status text */
  }
  return response.status === 429
    ? "Too many requests, try again shortly"
    : `Request failed (${response.status})`;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      credentials: "same-origin",
      headers:
        options.body === undefined
          ? { accept: "application/json" }
          : { accept: "application/json", "content-type": "application/json" },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, "The server cannot be reached. Check your connection.");
  }
  if (!response.ok) {
    const error = new ApiError(response.status, await errorText(response));
    if (response.status === 401 && !options.quietUnauthorized)
      for (const listener of unauthorizedListeners) listener();
    throw error;
  }
  return (await response.json()) as T;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : "Something went wrong";
}
