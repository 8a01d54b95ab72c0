/**
 * The OpenAPI 3.1 document, built by @fastify/swagger from the schemas the routes validate
 * requests with, plus what each answers (responses.ts, over the shapes of shapes.ts). Served at
 * /api/openapi.json and, for people, as a page at /api/reference (referencePage.ts).
 *
 * Must be set up before any route is added: the hook here sees each route as it is added. The
 * document is written when it is first asked for, in an instance of its own (documentOf).
 */
import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import Fastify, { type FastifyInstance, type RouteOptions } from "fastify";
import { AVATAR_PATH, UPLOADS_PATH } from "@parley/protocol";
import { noQuery } from "../schemas.js";
import { renderReferencePage } from "./referencePage.js";
import { isOutOfApi, ROUTES } from "./responses.js";
import { SHAPES } from "./shapes.js";
import { importPackage } from "../../importPackage.js";

export const OPENAPI_PATH = "/api/openapi.json";
export const REFERENCE_PATH = "/api/reference";

/** Routes whose body is one multipart file, read by the route itself (receiveUpload.ts). */
const MULTIPART_ROUTES = new Set([UPLOADS_PATH, AVATAR_PATH]);

/** `"GET /conversations/:id"`: how responses.ts names a route. */
export function routeKey(method: string, url: string): string {
  return `${method} ${url}`;
}

/** Who may call a route, as its options say: programs' routes take a token as well as the cookie. */
function securityOf(route: RouteOptions): Array<Record<string, string[]>> | undefined {
  const config = (route.config ?? {}) as { apiTokens?: boolean; widgetRoute?: boolean };
  if (config.apiTokens === true) return [{ bearerToken: [] }, { agentSession: [] }];
  if (config.widgetRoute === true) return [];
  return undefined;
}

/**
 * Adds what a route answers, its summary, tag and security to its schema, for the document.
 * A route that responses.ts does not describe stops the server from starting: every route is
 * in the API's document, or deliberately out of it (NOT_IN_API).
 */
export function describeRoute(route: RouteOptions): void {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  for (const method of methods) {
    if (method === "HEAD") continue;
    const key = routeKey(method, route.url);
    if (isOutOfApi(key)) {
      route.schema = { ...route.schema, hide: true };
      continue;
    }
    const described = ROUTES[key];
    if (described === undefined) {
      throw new Error(`${key} is not described in http/openapi/responses.ts (ROUTES or NOT_IN_API)`);
    }
    const missing = requestSchemaGaps(method, route);
    if (missing.length > 0) throw new Error(`${key} has no schema for its ${missing.join(", ")}`);
    const security = securityOf(route);
    route.schema = {
      ...route.schema,
      summary: described.summary,
      tags: [route.url.split("/")[1] ?? ""],
      response: { ...described.responses, "4xx": { $ref: "ErrorBody#" }, "5xx": { $ref: "ErrorBody#" } },
      ...(security === undefined ? {} : { security }),
    };
  }
}

/** What a route reads but states no schema for: every route states its query, writes their body. */
function requestSchemaGaps(method: string, route: RouteOptions): string[] {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const gaps: string[] = [];
  if (schema.querystring === undefined) gaps.push("querystring");
  if (route.url.includes(":") && schema.params === undefined) gaps.push("params");
  // Uploads and photos read multipart themselves (receiveUpload.ts), not a JSON body.
  if (
    ["POST", "PUT", "PATCH"].includes(method) &&
    schema.body === undefined &&
    !MULTIPART_ROUTES.has(route.url)
  )
    gaps.push("body");
  return gaps;
}

/** What the document keeps of a route: enough to add it again to the instance that writes it. */
type DocumentedRoute = Pick<RouteOptions, "method" | "url" | "schema" | "config" | "constraints">;

export async function registerOpenApi(app: FastifyInstance, serverVersion: string): Promise<void> {
  for (const [name, schema] of Object.entries(SHAPES)) app.addSchema({ $id: name, ...schema });
  // Answers are written as they are, never through the response schemas: those document the API
  // (and the OpenAPI test holds answers to them), they must not drop or reshape a field.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // Every route is described (or refused) as it is added; the document itself is written on its
  // first request (documentOf), since @fastify/swagger and the YAML writer it loads cost a
  // restart about a tenth of its time and most processes never serve the document.
  const routes: DocumentedRoute[] = [];
  app.addHook("onRoute", (route) => {
    describeRoute(route);
    // Fastify's HEAD twin of each GET: @fastify/swagger leaves those out too.
    if (route.method === "HEAD") return;
    const { method, url, schema, config, constraints } = route;
    routes.push({ method, url, schema, config, constraints });
  });
  let document: Promise<OpenApiDocument> | undefined;
  const documentNow = () => {
    document ??= documentOf(routes, serverVersion);
    // A failed write is tried again by the next request.
    document.catch(() => (document = undefined));
    return document;
  };

  app.get(OPENAPI_PATH, { schema: { querystring: noQuery } }, async (_request, reply) =>
    reply.header("access-control-allow-origin", "*").send(await documentNow()),
  );
  let page: string | undefined;
  app.get(REFERENCE_PATH, { schema: { querystring: noQuery } }, async (_request, reply) => {
    page ??= renderReferencePage(
      (await documentNow()) as unknown as Parameters<typeof renderReferencePage>[0],
    );
    return reply
      .type("text/html; charset=utf-8")
      .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
      .send(page);
  });
}

type OpenApiDocument = ReturnType<FastifyInstance["swagger"]>;

/**
 * Writes the document with @fastify/swagger in an instance of its own that never listens: the
 * same shared shapes and the routes as the server described them, whose schemas it never
 * compiles (the server validates with its own).
 */
async function documentOf(
  routes: readonly DocumentedRoute[],
  serverVersion: string,
): Promise<OpenApiDocument> {
  const { default: fastifySwagger } =
    await importPackage<typeof import("@fastify/swagger")>("@fastify/swagger");
  const writer = Fastify({ logger: false });
  for (const [name, schema] of Object.entries(SHAPES)) writer.addSchema({ $id: name, ...schema });
  writer.setValidatorCompiler(() => () => true);
  writer.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await writer.register(fastifySwagger, swaggerOptions(serverVersion));
  const noAnswer = async () => undefined;
  for (const route of routes) writer.route({ ...route, handler: noAnswer });
  await writer.ready();
  try {
    return writer.swagger();
  } finally {
    await writer.close();
  }
}

function swaggerOptions(serverVersion: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Parley",
        version: serverVersion,
        description:
          "Parley's REST API. Programs authenticate with an agent's API token " +
          "(`Authorization: Bearer prl_…`); the inbox uses the session cookie. Errors are " +
          '`{"error": "…", "code": "…"}`. See docs/api.md for a guide and docs/protocol.md for the wire contract.',
      },
      components: {
        securitySchemes: {
          bearerToken: { type: "http", scheme: "bearer", description: "An agent's API token, prl_…" },
          agentSession: { type: "apiKey", in: "cookie", name: "parley_session" },
        },
      },
    },
    // Shared shapes keep their names in components.schemas.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === "string" ? json.$id : `def-${index}`,
    },
  };
}
