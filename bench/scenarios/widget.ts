/** Scenario 4b, widget weight: what a visitor's browser downloads, gzipped. */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { REPO_ROOT } from "../servers.js";

export interface WidgetResult {
  bytes: number;
  gzipBytes: number;
}

export function widgetScenario(): WidgetResult {
  const source = readFileSync(`${REPO_ROOT}packages/widget/dist/widget.js`);
  return { bytes: source.length, gzipBytes: gzipSync(source, { level: 9 }).length };
}
