/** GroupCommit: appends that queue behind a running transaction share the next one. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GroupCommit } from "../../src/store/queries/groupCommit.js";

/** A fake transaction runner that records each batch and finishes when told to. */
function recordingRunner(fails: (input: number) => boolean = () => false) {
  const batches: number[][] = [];
  const releases: Array<() => void> = [];
  const run = async (inputs: number[]): Promise<string[]> => {
    batches.push(inputs);
    await new Promise<void>((resolve) => releases.push(resolve));
    if (inputs.some(fails)) throw new Error(`batch ${inputs.join(",")} failed`);
    return inputs.map((input) => `stored ${input}`);
  };
  const releaseAll = async () => {
    // Let queued work start, then finish every transaction that is waiting, until none is.
    for (let round = 0; round < 20; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      for (const release of releases.splice(0)) release();
    }
  };
  return { batches, run, releaseAll };
}

describe("GroupCommit", () => {
  it("commits an append on its own, at once, when nothing else is committing", async () => {
    const runner = recordingRunner();
    const commits = new GroupCommit(runner.run);
    const first = commits.add(1);
    await runner.releaseAll();
    assert.equal(await first, "stored 1");
    const second = commits.add(2);
    await runner.releaseAll();
    assert.equal(await second, "stored 2");
    assert.deepEqual(runner.batches, [[1], [2]]);
  });

  it("puts the appends that arrive during a commit into the next one, in order", async () => {
    const runner = recordingRunner();
    const commits = new GroupCommit(runner.run);
    const results = [1, 2, 3, 4].map((input) => commits.add(input));
    await runner.releaseAll();
    assert.deepEqual(await Promise.all(results), ["stored 1", "stored 2", "stored 3", "stored 4"]);
    assert.deepEqual(runner.batches, [[1], [2, 3, 4]]);
  });

  it("retries a failed batch one append at a time, so only the bad one fails", async () => {
    const runner = recordingRunner((input) => input === 3);
    const commits = new GroupCommit(runner.run);
    const results = [1, 2, 3, 4].map((input) => commits.add(input).catch((error: Error) => error.message));
    await runner.releaseAll();
    assert.deepEqual(await Promise.all(results), ["stored 1", "stored 2", "batch 3 failed", "stored 4"]);
    assert.deepEqual(runner.batches, [[1], [2, 3, 4], [2], [3], [4]]);
  });

  it("started on setImmediate, commits the appends of one turn together and a later turn's apart", async () => {
    const runner = recordingRunner();
    const commits = new GroupCommit(runner.run, setImmediate);
    const sameTurn = [commits.add(1), commits.add(2)];
    // A socket's handler that awaited something first still adds within the turn.
    queueMicrotask(() => sameTurn.push(commits.add(3)));
    await runner.releaseAll();
    const nextTurn = commits.add(4);
    await runner.releaseAll();
    assert.deepEqual(await Promise.all([...sameTurn, nextTurn]), [
      "stored 1",
      "stored 2",
      "stored 3",
      "stored 4",
    ]);
    assert.deepEqual(runner.batches, [[1, 2, 3], [4]]);
  });
});
