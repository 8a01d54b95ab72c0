/**
 * Agents: logged in through POST /auth/login, their cookie on the upgrade, on AdminChannel.
 * Agent i logs in and connects on node i mod n, so with two nodes every message crosses Redis.
 */
import { CableClient } from "./cableClient.js";

export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  await response.arrayBuffer();
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("parley_session="));
  if (response.status !== 200 || cookie === undefined)
    throw new Error(`login failed with ${response.status}`);
  return cookie.split(";")[0]!;
}

export async function connectAgents(
  nodes: ReadonlyArray<{ base: string; cable: string }>,
  count: number,
  credentials: { username: string; password: string },
): Promise<CableClient[]> {
  const agents: CableClient[] = [];
  for (let i = 0; i < count; i++) {
    const node = nodes[i % nodes.length]!;
    const cookie = await login(node.base, credentials.username, credentials.password);
    const client = new CableClient({ url: node.cable, headers: { cookie } });
    await client.subscribe({ channel: "AdminChannel" }, 15_000);
    agents.push(client);
  }
  return agents;
}
