/**
 * Disk full (docs/reliability.md): the storage folder on a tiny filesystem, filled under light
 * traffic. Sends and uploads fail with a clear error (never a crash or a hang), `/up` says the
 * storage is full, the SQLite file stays sound, and everything works again once space returns.
 * The bench's `diskfull` scenario is the long version.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { STORAGE_FULL_MESSAGE } from "../../src/store/errors.js";
import { diskFullRun } from "./diskFullRun.js";
import { makeTinyDisk } from "./tinyDisk.js";

const disk = makeTinyDisk(16);

describe("a node whose disk fills up", { skip: "skip" in disk ? disk.skip : false }, () => {
  after(() => {
    if (!("skip" in disk)) disk.dispose();
  });

  it("refuses sends and uploads plainly while full, says so on /up, and recovers when space returns", async () => {
    if ("skip" in disk) return;
    const result = await diskFullRun(disk, { visitors: 4, rate: 40, phaseMs: 1500 });
    const [before, full, freed] = result.up;
    assert.equal(before!.status, 200);
    assert.equal(full!.status, 503);
    assert.match(full!.body, /Storage full/);
    assert.equal(freed!.status, 200);

    assert.equal(result.uploads[0]!.status, 201, result.uploads[0]!.body);
    assert.equal(result.uploads[1]!.status, 507, result.uploads[1]!.body);
    assert.equal((JSON.parse(result.uploads[1]!.body) as { error: string }).error, STORAGE_FULL_MESSAGE);
    assert.equal(result.uploads[2]!.status, 201, result.uploads[2]!.body);

    assert.ok(result.refusals > 0, "sends were refused while the disk was full");
    assert.equal(result.firstRefusal, STORAGE_FULL_MESSAGE);
    assert.ok(result.nodeAlive, "the node never exited");
    assert.equal(result.lost, 0, "every refused send went through once retried");
    assert.equal(result.check.integrity, "ok");
    assert.equal(result.check.duplicates, 0);
    assert.equal(result.check.echoedButMissing, 0);
    assert.equal(result.check.storedRows, result.sent);
  });
});
