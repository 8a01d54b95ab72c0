/**
 * Scenario 4b, widget weight: what a visitor's browser downloads, gzipped. The loader is what every
 * page view of the host site pays; the app follows when the browser is idle or the panel opens.
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { REPO_ROOT } from "../servers.js";

export interface BundleWeight {
  bytes: number;
  gzipBytes: number;
}

export interface WidgetResult {
  loader: BundleWeight;
  app: BundleWeight;
}

function weigh(file: string): BundleWeight {
  const source = readFileSync(`${REPO_ROOT}packages/widget/dist/${file}`);
  return { bytes: source.length, gzipBytes: gzipSync(source, { level: 9 }).length };
}

export function widgetScenario(): WidgetResult {
  return { loader: weigh("widget.js"), app: weigh("widget-app.js") };
}
