/**
 * Keeps the latest results in docs/benchmarks.md: the text between the two markers is replaced,
 * everything else (the analysis, written by people) stays as it is.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { REPO_ROOT } from "./servers.js";

const DOCS_FILE = `${REPO_ROOT}docs/benchmarks.md`;
/** The block a run rewrites: the latest full run, or (cluster mode) the latest cluster run. */
export type DocBlock = "results" | "cluster";

export function updateBenchmarksDoc(markdown: string, which: DocBlock = "results"): string {
  const startMarker = `<!-- bench:${which}:start -->`;
  const endMarker = `<!-- bench:${which}:end -->`;
  const heading = which === "results" ? "## Latest results" : "### Latest cluster results";
  const block = `${startMarker}\n${markdown}\n${endMarker}`;
  const current = existsSync(DOCS_FILE)
    ? readFileSync(DOCS_FILE, "utf8")
    : `# Benchmarks\n\n${heading}\n\n${startMarker}\n${endMarker}\n`;
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  const next =
    start === -1 || end < start
      ? `${current.trimEnd()}\n\n${heading}\n\n${block}\n`
      : current.slice(0, start) + block + current.slice(end + endMarker.length);
  writeFileSync(DOCS_FILE, next);
  return DOCS_FILE;
}
