#!/usr/bin/env node
// Builds the inbox into dist/: index.html (served for /admin and every client-side path),
// sw.js (the service worker for web push) and assets/inbox.{js,css}, referenced by absolute /admin/ paths with a content hash in the query
// so a deploy is picked up at once while unchanged files stay cached. Pages loaded with a dynamic
// import() (Reports and its charts) become chunks beside them, named with their content hash,
// fetched the first time an agent opens them; code they share with the inbox goes to a shared
// chunk that inbox.js imports.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = fileURLToPath(new URL(".", import.meta.url));
const dist = `${here}dist`;

rmSync(dist, { recursive: true, force: true });
mkdirSync(`${dist}/assets`, { recursive: true });

const inbox = await build({
  entryPoints: { inbox: `${here}src/main.tsx` },
  outdir: `${dist}/assets`,
  bundle: true,
  format: "esm",
  splitting: true,
  chunkNames: "[name]-[hash]",
  minify: true,
  sourcemap: false,
  target: ["chrome100", "firefox100", "safari15"],
  jsx: "automatic",
  jsxImportSource: "preact",
  conditions: ["source"],
  legalComments: "none",
  logLevel: "warning",
  metafile: true,
});

// The chunks inbox.js imports at once (the code it shares with on-demand pages): the page asks
// for them beside inbox.js rather than after it. Their names carry a hash, so no query is needed.
const inboxOutput = Object.entries(inbox.metafile.outputs).find(([file]) => file.endsWith("/inbox.js"));
const preloads = (inboxOutput?.[1].imports ?? [])
  .filter((imported) => imported.kind === "import-statement")
  .map((imported) => `    <link rel="modulepreload" href="/admin/assets/${basename(imported.path)}" />`)
  .join("\n");

// The service worker: a classic script (module workers are not in every browser yet) at the top
// of dist/, so it is served as /admin/sw.js and may control the whole /admin/ scope. Its URL
// never changes (browsers tie a registration to it); they check it for updates themselves.
await build({
  entryPoints: { sw: `${here}src/sw/sw.ts` },
  outdir: dist,
  bundle: true,
  format: "iife",
  minify: true,
  sourcemap: false,
  target: ["chrome100", "firefox100", "safari16"],
  conditions: ["source"],
  legalComments: "none",
  logLevel: "warning",
});

const version = (file) =>
  createHash("sha256")
    .update(readFileSync(`${dist}/assets/${file}`))
    .digest("hex")
    .slice(0, 12);
const html = readFileSync(`${here}src/index.html`, "utf8")
  .replace("__JS_VERSION__", version("inbox.js"))
  .replace("__CSS_VERSION__", version("inbox.css"))
  .replace("    <!-- __PRELOADS__ -->", preloads);
writeFileSync(`${dist}/index.html`, html);
