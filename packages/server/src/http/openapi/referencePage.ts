/**
 * A readable reference of the API, rendered once from the OpenAPI document as one static HTML
 * page: no script, nothing fetched from elsewhere (the server may run where nothing else is
 * reachable). Each operation shows its summary, who may call it, its parameters, its body and
 * its answers; the shared shapes follow. Programs read /api/openapi.json instead.
 */

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

export interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const escape = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** A schema as compact JSON, with `$ref`s shown as links to the shape. */
function schemaBlock(schema: unknown): string {
  const json = escape(JSON.stringify(schema, null, 2));
  return `<pre>${json.replace(
    /&#34;#\/components\/schemas\/([A-Za-z0-9_-]+)&#34;/g,
    (_match, name: string) => `&#34;<a href="#shape-${name}">${name}</a>&#34;`,
  )}</pre>`;
}

function whoMayCall(operation: Operation): string {
  if (operation.security === undefined) return "see the summary (the agent's session cookie, unless public)";
  if (operation.security.length === 0) return "public (the site's origins)";
  return operation.security.map((each) => Object.keys(each).join(" + ")).join(" or ");
}

function operationSection(method: string, path: string, operation: Operation): string {
  const parameters = (operation.parameters ?? [])
    .map(
      (parameter) =>
        `<li><code>${escape(parameter.name)}</code> (${escape(parameter.in)}${parameter.required === true ? ", required" : ""}): <code>${escape(JSON.stringify(parameter.schema ?? {}))}</code></li>`,
    )
    .join("");
  const body = operation.requestBody?.content?.["application/json"]?.schema;
  const answers = Object.entries(operation.responses ?? {})
    .map(([status, answer]) => {
      const schema = answer.content?.["application/json"]?.schema;
      return `<h4>${escape(status)}</h4>${schema === undefined ? "" : schemaBlock(schema)}`;
    })
    .join("");
  const id = `${method}-${path}`.replace(/[^A-Za-z0-9]+/g, "-");
  return `<section id="${escape(id)}">
<h3><span class="method">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>
<p>${escape(operation.summary ?? "")}</p>
<p class="who">Who: ${escape(whoMayCall(operation))}</p>
${parameters === "" ? "" : `<h4>Parameters</h4><ul>${parameters}</ul>`}
${body === undefined ? "" : `<h4>Body</h4>${schemaBlock(body)}`}
${answers}
</section>`;
}

export function renderReferencePage(document: OpenApiDocument): string {
  const operations = Object.entries(document.paths ?? {}).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method, path, operation })),
  );
  const index = operations
    .map(
      ({ method, path, operation }) =>
        `<li><a href="#${escape(`${method}-${path}`.replace(/[^A-Za-z0-9]+/g, "-"))}">${escape(method.toUpperCase())} ${escape(path)}</a> — ${escape(operation.summary ?? "")}</li>`,
    )
    .join("\n");
  const shapes = Object.entries(document.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<section id="shape-${escape(name)}"><h3>${escape(name)}</h3>${schemaBlock(schema)}</section>`,
    )
    .join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(document.info.title)} API reference</title>
<style>
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 0 auto; padding: 1rem; color: #1b1b1f; background: #fff; }
pre { background: #f3f4f6; padding: .75rem; overflow-x: auto; font-size: 13px; }
section { border-top: 1px solid #d9dbe0; padding-top: .5rem; }
.method { font-family: ui-monospace, monospace; background: #1d4ed8; color: #fff; padding: 0 .4rem; border-radius: 3px; }
.who { color: #4b5563; }
a { color: #1d4ed8; }
@media (prefers-color-scheme: dark) {
  body { color: #e5e7eb; background: #111318; } pre { background: #1f2229; } a { color: #93b4ff; } .who { color: #aab0bb; }
}
</style>
</head>
<body>
<h1>${escape(document.info.title)} API reference <small>${escape(document.info.version)}</small></h1>
<p>${escape(document.info.description ?? "")}</p>
<p>The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<h2>Operations</h2>
<ul>
${index}
</ul>
${operations.map(({ method, path, operation }) => operationSection(method, path, operation)).join("\n")}
<h2>Shapes</h2>
${shapes}
</body>
</html>
`;
}
