/** The machine's load average, for scenarios that must say whether others were using it. */
import { loadavg } from "node:os";

export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
}
