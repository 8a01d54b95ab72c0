/**
 * The first import of main.ts and cli.ts: on a Node.js older than Parley needs, say so and exit
 * before any dependency loads. The build keeps it a separate file (dist/refuseOldNode.js) so that
 * it runs before the dependencies the bundles import, not after them.
 */
import { oldNodeRefusal } from "./nodeVersion.js";

const refusal = oldNodeRefusal(process.versions.node);
if (refusal) {
  process.stderr.write(`${refusal}\n`);
  process.exit(1);
}
