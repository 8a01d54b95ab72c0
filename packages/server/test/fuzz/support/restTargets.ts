/**
 * REST targets: every route of the server's own OpenAPI document, with generated path params,
 * queries and bodies (shaped by the route's schema, bent, or anything), as a stranger, as the
 * owner's session and with an API token. Uploads get their own multipart generator.
 */
import fc from "fast-check";
import { WIDGET_ORIGIN } from "../../support/testServer.js";
import { anyJson, bodyFor, encodeAny, hostileString, notQuiteJson, type JsonSchema } from "./arbitraries.js";
import type { FuzzServer } from "./fuzzServer.js";
import { countOutcome } from "./outcomes.js";
import type { FuzzTarget } from "./target.js";

export interface Route {
  method: string;
  path: string;
  body: JsonSchema | undefined;
  query: string[];
  params: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}
interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}

export interface RestCatalog {
  routes: Route[];
  components: Record<string, JsonSchema>;
}

export async function readCatalog(url: string): Promise<RestCatalog> {
  const doc = (await (await fetch(`${url}/api/openapi.json`)).json()) as OpenApiDocument;
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const parameters = operation.parameters ?? [];
      routes.push({
        method: method.toUpperCase(),
        path,
        body: operation.requestBody?.content["application/json"]?.schema,
        query: parameters.filter((p) => p.in === "query").map((p) => p.name),
        params: parameters.filter((p) => p.in === "path").map((p) => p.name),
      });
    }
  }
  return { routes, components: doc.components?.schemas ?? {} };
}

/**
 * What the owner's fuzzing leaves alone: the calls that would end its own session or token (the
 * rest of the run would then only see 401s). A stranger still fuzzes them.
 */
const ENDS_OWN_SESSION = new Set([
  "DELETE /auth/logout",
  "PUT /agents/{id}/password",
  "DELETE /api_tokens/{id}",
]);

export type Auth = "anonymous" | "owner" | "token";

const pathParam: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 6 }).map(String) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "0",
      "-1",
      "1.5",
      "99999999999999999999999",
      "abc",
      "1e3",
      "0x10",
      "NaN",
      "%00",
      "%F0%9F%98%80",
      "%ZZ",
    ),
  },
  { weight: 1, arbitrary: hostileString.map((s) => encodeAny(s.slice(0, 300))) },
);

const queryValue: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -2, max: 300 }).map(String),
  fc.constantFrom("all", "open", "closed", "me", "unassigned", "true", "", "2026-01-01T00:00:00Z", "1e999"),
  hostileString.map((s) => s.slice(0, 2000)),
);

type Body =
  { kind: "none" } | { kind: "json"; value: unknown } | { kind: "raw"; text: string; contentType: string };

export interface RestCase {
  route: string;
  url: string;
  body: Body;
  origin: string | undefined;
}

function bodyArbitrary(
  route: Route,
  components: Record<string, JsonSchema>,
  tokens: string[],
): fc.Arbitrary<Body> {
  const json = bodyFor(route.body, { components, depth: 0 }).map((value) => withKnownTokens(value, tokens));
  return fc.oneof(
    { weight: 8, arbitrary: json.map((value): Body => ({ kind: "json", value })) },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: "none" }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          notQuiteJson,
          fc.constantFrom(
            "application/json",
            "application/json; charset=latin1",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
            "",
          ),
        )
        .map(([text, contentType]): Body => ({ kind: "raw", text, contentType })),
    },
  );
}

/** A `token` field is mostly a real visitor's, so the widget routes get past "who are you". */
function withKnownTokens(value: unknown, tokens: string[]): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value) || !("token" in value))
    return value;
  const record = value as Record<string, unknown>;
  const pick = typeof record.token === "string" ? record.token.length % (tokens.length + 1) : tokens.length;
  return pick < tokens.length ? { ...record, token: tokens[pick] } : record;
}

function caseArbitrary(
  route: Route,
  catalog: RestCatalog,
  tokens: string[],
  origins: fc.Arbitrary<string | undefined>,
): fc.Arbitrary<RestCase> {
  const params = fc.tuple(...route.params.map(() => pathParam));
  const query = fc.oneof(
    fc.record(Object.fromEntries(route.query.map((name) => [name, queryValue])), { requiredKeys: [] }),
    fc.dictionary(fc.string({ maxLength: 8 }), queryValue, { maxKeys: 3 }),
  );
  return fc
    .tuple(params, query, bodyArbitrary(route, catalog.components, tokens), origins)
    .map(([values, search, body, origin]) => {
      let path = route.path;
      route.params.forEach((name, index) => (path = path.replace(`{${name}}`, values[index]!)));
      const encoded = new URLSearchParams(search as Record<string, string>).toString();
      return {
        route: `${route.method} ${route.path}`,
        url: `${path}${encoded === "" ? "" : `?${encoded}`}`,
        body: route.method === "GET" ? { kind: "none" } : body,
        origin,
      };
    });
}

/** Sends one case and says what is wrong with the answer, if anything. */
export async function sendRest(
  server: FuzzServer,
  auth: Auth,
  testCase: RestCase,
): Promise<string | undefined> {
  const [method] = testCase.route.split(" ");
  const headers: Record<string, string> = {};
  if (testCase.origin !== undefined) headers.origin = testCase.origin;
  if (auth === "owner") headers.cookie = server.cookie;
  if (auth === "token") headers.authorization = `Bearer ${server.apiToken}`;
  let body: string | undefined;
  if (testCase.body.kind === "json") {
    headers["content-type"] = "application/json";
    body = JSON.stringify(testCase.body.value) ?? "null";
  } else if (testCase.body.kind === "raw") {
    if (testCase.body.contentType !== "") headers["content-type"] = testCase.body.contentType;
    body = testCase.body.text;
  }
  const response = await fetch(`${server.url}${testCase.url}`, {
    method,
    headers,
    body,
    signal: AbortSignal.timeout(20_000),
  });
  return judgeResponse(response);
}

export async function judgeResponse(response: Response): Promise<string | undefined> {
  const text = await response.text();
  countOutcome(`${Math.floor(response.status / 100)}xx`);
  if (response.status >= 500) return `${response.status}: ${text.slice(0, 300)}`;
  if (response.status >= 400) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return `${response.status} without a JSON body: ${text.slice(0, 200)}`;
    }
    if (typeof (parsed as { error?: unknown }).error !== "string")
      return `${response.status} without "error": ${text.slice(0, 200)}`;
  }
  return undefined;
}

export function restTarget(
  name: string,
  catalog: RestCatalog,
  tokens: string[],
  auth: Auth,
  include: (route: Route) => boolean,
  origins: fc.Arbitrary<string | undefined>,
): FuzzTarget<RestCase> {
  const routes = catalog.routes.filter(
    (route) =>
      include(route) && (auth === "anonymous" || !ENDS_OWN_SESSION.has(`${route.method} ${route.path}`)),
  );
  return {
    name,
    arbitrary: fc.oneof(...routes.map((route) => caseArbitrary(route, catalog, tokens, origins))),
    run: (server, testCase) => sendRest(server, auth, testCase),
  };
}

/** Origins a browser (or not) would send: none, the server's, the widget's site, a stranger. */
export function anyOrigin(server: FuzzServer): fc.Arbitrary<string | undefined> {
  return fc.constantFrom(undefined, server.url, WIDGET_ORIGIN, "http://evil.example", "null");
}

// ---------------------------------------------------------------------------------------------
// Uploads
// ---------------------------------------------------------------------------------------------

export interface UploadCase {
  files: Array<{ field: string; name: string; type: string; size: number; byte: number }>;
  fields: Array<[string, string]>;
  site: string | undefined;
  visitor: "known" | "unknown" | "none" | "owner";
  raw: string | undefined;
}

/** The server's default MAX_UPLOAD_MB, in bytes. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** A body bigger than the socket buffers: the client may still be sending when the answer comes. */
const BIG_BODY_BYTES = 128 * 1024;

const uploadSize = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 4096 }) },
  { weight: 2, arbitrary: fc.integer({ min: 4096, max: 300_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES + 1) },
);

export function uploadTarget(tokens: string[]): FuzzTarget<UploadCase> {
  const file = fc.record({
    field: fc.oneof(
      { weight: 5, arbitrary: fc.constant("file") },
      { weight: 1, arbitrary: hostileString.map((s) => s.slice(0, 100)) },
    ),
    name: fc.oneof(
      fc.constantFrom(
        "photo.png",
        "notes.txt",
        "a.exe",
        ".htaccess",
        "../../evil.sh",
        "",
        "x".repeat(300),
        "na\u0000me.pdf",
        "😀.jpg",
      ),
      hostileString.map((s) => s.slice(0, 400)),
    ),
    type: fc.oneof(
      fc.constantFrom(
        "image/png",
        "image/jpeg",
        "image/svg+xml",
        "text/plain",
        "text/html",
        "application/pdf",
        "application/octet-stream",
        "application/x-msdownload",
        "",
      ),
      hostileString.map((s) => s.slice(0, 100).replace(/[\r\n]/g, "")),
    ),
    size: uploadSize,
    byte: fc.integer({ min: 0, max: 255 }),
  });
  return {
    name: "uploads",
    arbitrary: fc.record({
      files: fc.array(file, { minLength: 0, maxLength: 3 }),
      fields: fc.array(fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 })), {
        maxLength: 2,
      }),
      site: fc.option(
        fc.oneof(
          fc.constant("default"),
          hostileString.map((s) => s.slice(0, 200)),
        ),
        { nil: undefined },
      ),
      visitor: fc.constantFrom("known", "unknown", "none", "owner"),
      raw: fc.option(notQuiteJson, { nil: undefined, freq: 6 }),
    }),
    run: async (server, upload) => {
      const headers: Record<string, string> = { origin: WIDGET_ORIGIN };
      if (upload.visitor === "known")
        headers["x-visitor-token"] = tokens[upload.files.length % tokens.length]!;
      if (upload.visitor === "unknown")
        headers["x-visitor-token"] = `visitor-${"u".repeat(upload.fields.length + 10)}`;
      if (upload.visitor === "owner") {
        headers.cookie = server.cookie;
        headers.origin = server.url;
      }
      let body: FormData | string;
      if (upload.raw !== undefined) {
        headers["content-type"] = "multipart/form-data; boundary=fuzz";
        body = `--fuzz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n${upload.raw}`;
      } else {
        const form = new FormData();
        for (const [key, value] of upload.fields) form.append(key, value);
        for (const each of upload.files) {
          form.append(
            each.field,
            new Blob([new Uint8Array(each.size).fill(each.byte)], { type: each.type }),
            each.name,
          );
        }
        body = form;
      }
      const query = upload.site === undefined ? "" : `?site=${encodeAny(upload.site)}`;
      let response: Response;
      try {
        response = await fetch(`${server.url}/uploads${query}`, {
          method: "POST",
          headers,
          body,
          signal: AbortSignal.timeout(30_000),
        });
      } catch (error) {
        // The server answers as soon as it knows (413 past the size limit, 400 for a first part
        // that is not `file`, 401 without a visitor) and closes the connection rather than read
        // the rest of a big body; a client still sending may see the socket go before it reads
        // the answer. That is the server protecting itself, not a failure.
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? "";
        const bodyBytes = upload.files.reduce((sum, each) => sum + each.size, 0);
        const oversized = bodyBytes > BIG_BODY_BYTES;
        if (oversized && ["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"].includes(cause)) {
          countOutcome("closed while sending");
          return undefined;
        }
        return `fetch failed (${cause || String(error)})`;
      }
      return judgeResponse(response);
    },
  };
}

export { anyJson };
