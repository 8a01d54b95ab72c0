#!/usr/bin/env node
// Bundles the widget into dist/widget.js: one minified IIFE, so the only global it leaves on a
// host page is the `window.Parley` it sets on purpose.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

await build({
  entryPoints: [`${here}src/main.ts`],
  outfile: `${here}dist/widget.js`,
  bundle: true,
  format: "iife",
  minify: true,
  target: ["chrome90", "firefox90", "safari15"],
  conditions: ["source"],
  legalComments: "none",
  logLevel: "warning",
});
