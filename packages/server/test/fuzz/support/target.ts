/** One kind of input the fuzzer generates, and how one case of it is sent and judged. */
import type fc from "fast-check";
import type { FuzzServer } from "./fuzzServer.js";

export interface FuzzTarget<Case = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<Case>;
  /** Sends the case; resolves with what is wrong with the answer, or undefined when it is fine. */
  run(server: FuzzServer, testCase: Case): Promise<string | undefined>;
}
