/**
 * Which Node.js Parley runs on. Node 20 reached its end of life in April 2026, and dependencies
 * now need Node 22: cookie and content-disposition ship as ES modules that Fastify's plugins
 * `require()`, which Node 22 allows from 22.12 on (before, the server dies with ERR_REQUIRE_ESM
 * inside a dependency), and ESLint asks for 22.13, which npm enforces (.npmrc: engine-strict).
 * So the entry points refuse an older Node first, in one sentence. The same minimum is `engines`
 * in package.json (a test keeps them equal and checks every dependency accepts it), and
 * scripts/check-node.mjs says the same before `npm start` and `npm test` build anything.
 */
export const MINIMUM_NODE_VERSION = "22.13";
/** The LTS line the image and CI run. */
export const RECOMMENDED_NODE_MAJOR = 24;

/** "22.13" → [22, 13, 0]; a version the pattern does not fit compares as [0, 0, 0]. */
function parts(version: string): number[] {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version);
  return [Number(match?.[1] ?? 0), Number(match?.[2] ?? 0), Number(match?.[3] ?? 0)];
}

/** The sentence to print on a Node too old for Parley, or undefined when `version` will do. */
export function oldNodeRefusal(version: string): string | undefined {
  const have = parts(version);
  const need = parts(MINIMUM_NODE_VERSION);
  const order = have.reduce((found, part, i) => found || part - need[i]!, 0);
  if (order >= 0) return undefined;
  return (
    `Parley needs Node.js ${MINIMUM_NODE_VERSION} or newer (${RECOMMENDED_NODE_MAJOR} LTS recommended); ` +
    `this is v${version.replace(/^v/, "")}.`
  );
}
