// Bundles the server's TypeScript (and the shared @parley/protocol source) into dist/, with the
// pure-JS packages every start loads (listed in `bundled`); the others stay imports from
// node_modules: native modules (better-sqlite3, argon2), what loads on first use (S3, sharp,
// email, Redis, Postgres).
// refuseOldNode stays a file of its own, imported first: bundled, it would run only after every
// dependency the bundle imports had loaded, and on an old Node one of them fails first.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
// Resolving and compiling these from node_modules at each start (kysely alone is some 300 small
// files) cost a restart about a quarter of its CPU: 1.25 s to /up imported, 0.93 s bundled.
const bundled = new Set([
  "kysely",
  "fastify",
  "@fastify/ajv-compiler",
  "@fastify/cookie",
  "@fastify/cors",
  "@fastify/helmet",
  "@fastify/multipart",
  "@fastify/proxy-addr",
  "@fastify/send",
  "prom-client",
  "ws",
  "rate-limiter-flexible",
  "ua-parser-js",
  // Its transports would run files of their own in worker threads; the server logs to stdout
  // through none (log.ts), and resolving pino's dozen files was 6 % of a restart.
  "pino",
]);
const external = [
  ...Object.keys(pkg.dependencies ?? {})
    .filter((name) => !bundled.has(name))
    .flatMap((name) => [name, `${name}/*`]),
  "./refuseOldNode.js",
];

const common = {
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node22",
  format: "esm",
  sourcemap: true,
  conditions: ["source"],
  external,
  logLevel: "warning",
};

/**
 * Rewrites a built file with every character beyond ASCII as a `\uXXXX` escape, and returns it.
 * esbuild escapes those of strings and names already; what it leaves is in comments and in regular
 * expressions (the email reply markers: 差出人, écrit), where the escape means the same character.
 * A file that is all ASCII Node reads into a one-byte string: the server's bundle, 3.6 MB, in 4 ms
 * instead of 14 on every start (a restart to `/up`: 210 → 200 ms). A character beyond the Basic
 * Multilingual Plane would need an escape that means something else in a regular expression
 * without the u flag, so it stops the build instead (there is none).
 */
function asciiOnly(file) {
  const text = readFileSync(file, "utf8").replace(/[^\x00-\x7f]/gu, (char) => {
    const code = char.codePointAt(0);
    if (code > 0xffff)
      throw new Error(`${file}: a character beyond U+FFFF (U+${code.toString(16)}) is left after the build`);
    return `\\u${code.toString(16).padStart(4, "0")}`;
  });
  writeFileSync(file, text);
  return text;
}

// A fresh folder: no file of an earlier layout (dist/startProcess.js was an ES module) lingers.
rmSync("dist", { recursive: true, force: true });
// The Node check imports nothing, so it runs on a Node too old for anything else.
await build({ ...common, entryPoints: ["src/refuseOldNode.ts"] });
// The server: one CommonJS script, because main.ts runs it through V8's code cache, which only a
// script has (bundleCodeCache.ts says why). So no top-level await, import.meta.url from the file's
// name, and the packages loaded on first use come through the import() main.ts hands it
// (importPackage.ts).
await build({
  ...common,
  entryPoints: ["src/startProcess.ts"],
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  define: { "import.meta.url": "__parleyModuleUrl", PARLEY_IMPORT: "__parleyImport" },
  banner: { js: 'const __parleyModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// pg, for a server on Postgres: a file of its own that main.ts loads when the store first asks
// for it (importPackage.ts), so a server on SQLite reads none of it. One file, compiled once
// into Node's compile cache, instead of pg's 32 resolved from node_modules at every restart:
// 13 → 7 ms. Inside the server's bundle it cost every SQLite start its size (docs/benchmarks.md,
// twelfth pass). pg-native is pg's optional native driver, which the server does not use.
await build({
  ...common,
  outdir: undefined,
  outfile: "dist/pg.cjs",
  stdin: { contents: 'module.exports = require("pg");', resolveDir: ".", sourcefile: "pg.cjs" },
  format: "cjs",
  external: ["pg-native"],
});
// The entry point turns Node's compile cache on before the server's bundle loads (main.ts says
// why), so the bundle stays a file of its own, named with its hash for the code cache's key.
const bundleSha256 = createHash("sha256").update(asciiOnly("dist/startProcess.cjs")).digest("hex");
await build({
  ...common,
  entryPoints: ["src/main.ts"],
  external: [...external, "./startProcess.js"],
  define: {
    PARLEY_BUNDLE: JSON.stringify({
      file: "./startProcess.cjs",
      sha256: bundleSha256,
      packages: { pg: "./pg.cjs" },
    }),
  },
  banner: { js: "#!/usr/bin/env node" },
});
await build({
  ...common,
  entryPoints: ["src/cli.ts"],
  // The check first; then a require() for the bundled CommonJS packages, which an ES module
  // lacks (both imports are harmless on an old Node: the check exits before anything else runs).
  banner: {
    js: [
      "#!/usr/bin/env node",
      'import "./refuseOldNode.js";',
      'import { createRequire as __parleyRequire } from "node:module";',
      "const require = __parleyRequire(import.meta.url);",
    ].join("\n"),
  },
});
