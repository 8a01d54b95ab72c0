// Bundles the server's TypeScript (and the shared @parley/protocol source) into dist/, leaving
// npm dependencies as imports so native modules (better-sqlite3, argon2) load from node_modules.
// refuseOldNode stays a file of its own, imported first: bundled, it would run only after every
// dependency the bundle imports had loaded, and on an old Node one of them fails first.
import { build } from "esbuild";
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const external = [
  ...Object.keys(pkg.dependencies ?? {}).flatMap((name) => [name, `${name}/*`]),
  "./refuseOldNode.js",
];

await build({
  entryPoints: ["src/main.ts", "src/cli.ts", "src/refuseOldNode.ts"],
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  sourcemap: true,
  conditions: ["source"],
  external,
  banner: { js: "#!/usr/bin/env node" },
  logLevel: "warning",
});
