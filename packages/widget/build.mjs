#!/usr/bin/env node
// Bundles the widget into dist/widget.js: one minified IIFE, so the only global it leaves on a
// host page is the `window.Parley` it sets on purpose. The upload code is a second IIFE,
// dist/widget-uploads.js, fetched only when a visitor first attaches a file; widget.js asks for
// it by its content hash, so the two always match and the chunk can be cached for good.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const common = {
  bundle: true,
  format: "iife",
  minify: true,
  target: ["chrome90", "firefox90", "safari15"],
  conditions: ["source"],
  legalComments: "none",
  logLevel: "warning",
};

const chunk = `${here}dist/widget-uploads.js`;
await build({ ...common, entryPoints: [`${here}src/uploads/chunk.ts`], outfile: chunk });
const chunkVersion = createHash("sha256").update(readFileSync(chunk)).digest("base64url").slice(0, 12);

await build({
  ...common,
  entryPoints: [`${here}src/main.ts`],
  outfile: `${here}dist/widget.js`,
  define: { __UPLOADS_VERSION__: JSON.stringify(chunkVersion) },
});
