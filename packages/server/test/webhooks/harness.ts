/**
 * A Parley server set up for webhook tests: loopback receivers allowed by WEBHOOK_ALLOWED_HOSTS,
 * the test CA trusted by WEBHOOK_CA_FILE, short retries; the owner's REST calls; a visitor who
 * writes over the cable. Runs on SQLite, and on Postgres when TEST_DATABASE_URL is set.
 */
import { POSTGRES_SKIP, postgresSchema, type PostgresSchema } from "../support/postgres.js";
import { login, startTestServer, type TestServer } from "../support/testServer.js";
import { testCertificate } from "./receiver.js";

export { POSTGRES_SKIP };

export interface Engine {
  name: "sqlite" | "postgres";
  /** A fresh database for one test (Postgres: its own schema); undefined when not available. */
  database(): Promise<{ env: Record<string, string>; drop(): Promise<void> } | undefined>;
}

export const ENGINES: Engine[] = [
  { name: "sqlite", database: async () => ({ env: {}, drop: async () => {} }) },
  {
    name: "postgres",
    database: async () => {
      const schema: PostgresSchema | undefined = await postgresSchema();
      return schema === undefined
        ? undefined
        : { env: { DATABASE_URL: schema.url }, drop: () => schema.drop() };
    },
  },
];

/** The environment every webhook test starts from; each test adds or overrides. */
export function webhookEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    WEBHOOK_CA_FILE: testCertificate().caFile,
    WEBHOOK_RETRY_SCHEDULE: "0.2,0.2,0.2,0.2,0.2,0.2",
    WEBHOOK_TIMEOUT_MS: "1000",
    RATE_LIMIT_PER_MINUTE: "1000",
    ...extra,
  };
}

export interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: string };
}

export class Owner {
  private constructor(
    readonly server: TestServer,
    readonly cookie: string,
  ) {}

  static async of(server: TestServer): Promise<Owner> {
    return new Owner(server, await login(server.url));
  }

  async call(
    method: string,
    path: string,
    json?: unknown,
    auth: { cookie?: string; token?: string } = { cookie: this.cookie },
  ): Promise<Answer> {
    const headers = new Headers();
    if (auth.cookie !== undefined) headers.set("cookie", auth.cookie);
    if (auth.token !== undefined) headers.set("authorization", `Bearer ${auth.token}`);
    if (json !== undefined) headers.set("content-type", "application/json");
    const response = await fetch(`${this.server.url}${path}`, {
      method,
      headers,
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: response.status, body: (await response.json()) as Answer["body"] };
  }

  /** Creates a webhook on the default site (id 1); returns its id and secret. */
  async createWebhook(json: Record<string, unknown>, siteId = 1): Promise<{ id: number; secret: string }> {
    const { status, body } = await this.call("POST", `/sites/${siteId}/webhooks`, json);
    if (status !== 201) throw new Error(`create webhook: ${status} ${JSON.stringify(body)}`);
    return { id: (body.webhook as { id: number }).id, secret: body.secret as string };
  }

  async deliveries(webhookId: number, siteId = 1): Promise<Array<Record<string, unknown>>> {
    const { body } = await this.call("GET", `/sites/${siteId}/webhooks/${webhookId}/deliveries`);
    return body.deliveries as Array<Record<string, unknown>>;
  }
}

export { startTestServer, type TestServer };

export { Visitor } from "../support/widgetVisitor.js";
