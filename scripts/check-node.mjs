#!/usr/bin/env node
// `prestart` and `pretest`: on a Node.js older than package.json's `engines`, one plain sentence
// and exit 1, before npm builds anything or a dependency fails to load with a stack trace. The
// server's own entry points say the same (packages/server/src/nodeVersion.ts; a test keeps the
// two equal). Plain JavaScript for any Node: it must run on the versions it refuses.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The LTS line the image and CI run. */
const RECOMMENDED_NODE_MAJOR = 24;

/** `engines.node` without its ">=" ("22.13"): the oldest Node.js Parley runs on. */
export function minimumNodeVersion() {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  const match = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(pkg.engines?.node ?? "");
  if (!match)
    throw new Error(`package.json: engines.node should read ">=VERSION", not "${pkg.engines?.node}"`);
  return match[1];
}

function parts(version) {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version);
  return [Number(match?.[1] ?? 0), Number(match?.[2] ?? 0), Number(match?.[3] ?? 0)];
}

/** The sentence to print on a Node too old for Parley, or undefined when `version` will do. */
export function oldNodeRefusal(version, minimum = minimumNodeVersion()) {
  const need = parts(minimum);
  const order = parts(version).reduce((found, part, i) => found || part - need[i], 0);
  if (order >= 0) return undefined;
  return (
    `Parley needs Node.js ${minimum} or newer (${RECOMMENDED_NODE_MAJOR} LTS recommended); ` +
    `this is v${version.replace(/^v/, "")}.`
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const refusal = oldNodeRefusal(process.versions.node);
  if (refusal) {
    process.stderr.write(
      `${refusal}\nInstall Node.js ${RECOMMENDED_NODE_MAJOR} LTS, then run the command again.\n`,
    );
    process.exit(1);
  }
}
