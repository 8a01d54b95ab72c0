/**
 * Secrets that must survive restarts but need no setup: generated once into STORAGE_DIR (mode
 * 0600) when the environment does not provide them, so `npm start` works with zero configuration.
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makePrivateDirSync, PRIVATE_FILE_MODE } from "./privateStorage.js";

export function secretKeyBase(storageDir: string, fromEnv: string | undefined): string {
  if (fromEnv !== undefined) return fromEnv;
  const path = join(storageDir, "secret_key_base");
  try {
    return readFileSync(path, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  makePrivateDirSync(storageDir);
  const secret = randomBytes(64).toString("hex");
  try {
    // "wx": two processes booting together must not overwrite each other's secret.
    writeFileSync(path, secret, { mode: PRIVATE_FILE_MODE, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readFileSync(path, "utf8").trim();
    throw error;
  }
}
