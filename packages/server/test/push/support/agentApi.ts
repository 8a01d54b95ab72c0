/** The inbox's REST calls for push, made with an agent's session cookie. */
export function agentApi(baseUrl: string, cookie: string) {
  const call = (method: string, path: string, json?: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, ...(json === undefined ? {} : { "content-type": "application/json" }) },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
  return {
    vapidPublicKey: async () =>
      ((await (await call("GET", "/push/vapid_public_key")).json()) as { public_key: string }).public_key,
    subscribe: (body: { endpoint: string; p256dh: string; auth: string }) =>
      call("POST", "/push_subscriptions", body),
    unsubscribe: (endpoint: string) => call("DELETE", "/push_subscriptions", { endpoint }),
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
