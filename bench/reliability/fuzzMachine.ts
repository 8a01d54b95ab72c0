/** The machine in one line, as docs/reliability.md quotes it: CPU model and cores. */
import { cpus } from "node:os";

export function nproc(): string {
  return `${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${cpus().length} cores`;
}
