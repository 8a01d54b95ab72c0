/** Bundles the baseline to plain JS, as Parley's server is, so both start and run the same way. */
import { build } from "esbuild";
import { BASELINE_ENTRY, REPO_ROOT } from "../servers.js";

export async function buildBaseline(): Promise<void> {
  await build({
    entryPoints: [`${REPO_ROOT}bench/baseline/server.ts`],
    outfile: BASELINE_ENTRY,
    bundle: true,
    platform: "node",
    target: "node22",
    format: "esm",
    external: ["ws", "better-sqlite3", "pg"],
    logLevel: "warning",
  });
}
