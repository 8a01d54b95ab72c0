/**
 * `--scenarios diskfull`: a node whose storage folder (SQLite file, uploads) sits on a 16 MB
 * filesystem filled under 500 messages a second, then freed
 * (packages/server/test/reliability/diskFullRun.ts; the quick test runs the same lighter).
 */
import { diskFullRun } from "../../packages/server/test/reliability/diskFullRun.js";
import { makeTinyDisk } from "../../packages/server/test/reliability/tinyDisk.js";
import { STORAGE_FULL_MESSAGE } from "../../packages/server/src/store/errors.js";
import { describeMachine } from "../machine.js";
import { chooseCores } from "../processes.js";
import type { StandaloneResult, StandaloneScenario } from "./standalone.js";

export const run: StandaloneScenario = async (options, log): Promise<StandaloneResult> => {
  const rate = options.quick ? 100 : 500;
  const phaseMs = options.quick ? 3000 : 10_000;
  const visitors = 50;
  const machine = describeMachine(chooseCores(false));
  const disk = makeTinyDisk(16);
  if ("skip" in disk)
    return { name: "diskfull", ran: "nothing", figures: {}, held: false, notes: [disk.skip] };
  try {
    const result = await diskFullRun(disk, { visitors, rate, phaseMs, log });
    const [before, full, freed] = result.up;
    const held =
      result.nodeAlive &&
      before!.status === 200 &&
      full!.status === 503 &&
      freed!.status === 200 &&
      result.uploads.map((upload) => upload.status).join(",") === "201,507,201" &&
      result.refusals > 0 &&
      result.firstRefusal === STORAGE_FULL_MESSAGE &&
      result.lost === 0 &&
      result.check.integrity === "ok" &&
      result.check.duplicates === 0 &&
      result.check.echoedButMissing === 0 &&
      result.check.storedRows === result.sent;
    return {
      name: "diskfull",
      ran:
        `SQLite, one node (child process) on ${machine.cpu}, ${machine.cores} cores; STORAGE_DIR on a 16 MB ${disk.kind}; ` +
        `${visitors} retrying visitors sending ${rate} messages/s; ${phaseMs / 1000} s before filling, ` +
        `${phaseMs / 1000} s full (after the first refusal), ${phaseMs / 1000} s after freeing, then a drain`,
      figures: {
        fillerBytes: result.fillerBytes,
        sent: result.sent,
        echoed: result.echoed,
        storedRows: result.check.storedRows,
        lostAfterRetries: result.lost,
        refusalsRetried: result.refusals,
        firstRefusal: result.firstRefusal ?? "none",
        upBeforeFullFreed: result.up.map((up) => up.status).join(" / "),
        upWhileFull: full!.body,
        uploadsBeforeFullFreed: result.uploads.map((upload) => upload.status).join(" / "),
        integrity: result.check.integrity,
        duplicateRows: result.check.duplicates,
        echoedButMissing: result.check.echoedButMissing,
        nodeAlive: result.nodeAlive,
      },
      held,
      notes: [],
    };
  } finally {
    disk.dispose();
  }
};
