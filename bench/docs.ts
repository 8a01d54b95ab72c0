/**
 * Keeps the latest results in docs/benchmarks.md: the text between the two markers is replaced,
 * everything else (the analysis, written by people) stays as it is.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { REPO_ROOT } from "./servers.js";

const DOCS_FILE = `${REPO_ROOT}docs/benchmarks.md`;
const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";

export function updateBenchmarksDoc(markdown: string): string {
  const block = `${START}\n${markdown}\n${END}`;
  const current = existsSync(DOCS_FILE)
    ? readFileSync(DOCS_FILE, "utf8")
    : `# Benchmarks\n\n## Latest results\n\n${START}\n${END}\n`;
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start === -1 || end < start
      ? `${current.trimEnd()}\n\n## Latest results\n\n${block}\n`
      : current.slice(0, start) + block + current.slice(end + END.length);
  writeFileSync(DOCS_FILE, next);
  return DOCS_FILE;
}
