/**
 * The two servers the bench compares: Parley's built entry point, and the baseline (the least a
 * Node server does for the same contract, see baseline/server.ts) bundled the same way.
 */
import { fileURLToPath } from "node:url";
import { SERVER_NODE_FLAGS } from "../packages/server/src/nodeFlags.js";
import type { ServerCommand } from "./processes.js";

export type ServerName = "parley" | "baseline";

export const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
export const PARLEY_ENTRY = `${REPO_ROOT}packages/server/dist/main.js`;
export const BASELINE_ENTRY = `${REPO_ROOT}bench/baseline/dist/server.js`;

export const AGENT_USERNAME = "bench";
export const AGENT_PASSWORD = "bench-password-123";

/** Parley's entry point for this run: the build, or another one (`--parley-entry`, say a build from before a change). */
let parleyEntry = PARLEY_ENTRY;

export function useParleyEntry(file: string): void {
  parleyEntry = file;
}

export function serverCommand(
  name: ServerName,
  port: number,
  storeEnv: Record<string, string>,
): ServerCommand {
  const common = { PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", ...storeEnv };
  if (name === "baseline") return { args: [BASELINE_ENTRY], env: common };
  return {
    // Started as the image and `npm start` start it.
    args: [...SERVER_NODE_FLAGS, parleyEntry],
    env: {
      ...common,
      LOG_LEVEL: "warn",
      ADMIN_USER: AGENT_USERNAME,
      ADMIN_PASSWORD: AGENT_PASSWORD,
      // The bench's visitors send far faster than people do, from one address.
      RATE_LIMIT_PER_MINUTE: "100000",
      NEW_CONVERSATIONS_PER_IP_PER_HOUR: "0",
      // Its thousands of visitors share a few loopback addresses (2,000 sockets each, see
      // loadgen/sourceAddresses.ts), where real visitors each have their own: the cap would
      // measure refusals, not the server.
      MAX_CONNECTIONS_PER_ADDRESS: "0",
      ALLOWED_ORIGINS: `http://127.0.0.1:${port}`,
      // The webhooks (bench/features.ts) go to a receiver in the load generator, on loopback,
      // over plain http: the operator's way to allow an internal receiver (docs/api.md).
      WEBHOOK_ALLOWED_HOSTS: "127.0.0.1",
    },
  };
}
