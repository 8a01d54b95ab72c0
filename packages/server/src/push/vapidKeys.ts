/**
 * The server's VAPID identity (RFC 8292): a P-256 key pair whose public half browsers bind each
 * push subscription to. From VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY when set; otherwise generated
 * once into STORAGE_DIR/vapid_keys (mode 0600), written as the two environment lines an operator
 * copies into their secrets. Changing the pair orphans every existing subscription.
 */
import { createECDH } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makePrivateDirSync, PRIVATE_FILE_MODE } from "../privateStorage.js";

export interface VapidKeys {
  /** base64url of the 65-byte uncompressed point. */
  publicKey: string;
  /** base64url of the 32-byte scalar. */
  privateKey: string;
}

export const VAPID_KEYS_FILE = "vapid_keys";

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Why the pair is unusable (naming which half), or undefined when it is a valid P-256 pair. */
export function vapidKeyProblem(
  keys: VapidKeys,
): { variable: "VAPID_PUBLIC_KEY" | "VAPID_PRIVATE_KEY"; problem: string } | undefined {
  const publicBytes = BASE64URL.test(keys.publicKey) ? Buffer.from(keys.publicKey, "base64url") : undefined;
  if (publicBytes?.length !== 65 || publicBytes[0] !== 0x04) {
    return {
      variable: "VAPID_PUBLIC_KEY",
      problem: "expected the base64url of a 65-byte uncompressed P-256 public key",
    };
  }
  const privateBytes = BASE64URL.test(keys.privateKey)
    ? Buffer.from(keys.privateKey, "base64url")
    : undefined;
  if (privateBytes?.length !== 32) {
    return {
      variable: "VAPID_PRIVATE_KEY",
      problem: "expected the base64url of a 32-byte P-256 private key",
    };
  }
  try {
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(privateBytes);
    if (!ecdh.getPublicKey().equals(publicBytes)) {
      return {
        variable: "VAPID_PRIVATE_KEY",
        problem: "does not belong to VAPID_PUBLIC_KEY (they must be one pair)",
      };
    }
  } catch {
    return { variable: "VAPID_PRIVATE_KEY", problem: "is not a valid P-256 private key" };
  }
  return undefined;
}

/** A new P-256 pair, as web-push's generateVAPIDKeys makes it (without loading web-push at boot). */
export function generateVapidKeys(): VapidKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return {
    publicKey: ecdh.getPublicKey().toString("base64url"),
    // The scalar can have leading zero bytes, which getPrivateKey drops: RFC 8292 wants all 32.
    privateKey: Buffer.from(ecdh.getPrivateKey("hex").padStart(64, "0"), "hex").toString("base64url"),
  };
}

/** The environment's pair, or the stored one, or a new one stored for next time. */
export function loadVapidKeys(
  storageDir: string,
  fromEnv: VapidKeys | undefined,
): { keys: VapidKeys; generated: boolean } {
  if (fromEnv !== undefined) return { keys: fromEnv, generated: false };
  const path = join(storageDir, VAPID_KEYS_FILE);
  const stored = readStored(path);
  if (stored !== undefined) return { keys: stored, generated: false };
  makePrivateDirSync(storageDir);
  const keys = generateVapidKeys();
  try {
    // "wx": two processes booting together must not overwrite each other's pair.
    writeFileSync(path, `VAPID_PUBLIC_KEY=${keys.publicKey}\nVAPID_PRIVATE_KEY=${keys.privateKey}\n`, {
      mode: PRIVATE_FILE_MODE,
      flag: "wx",
    });
    return { keys, generated: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = readStored(path);
    if (winner === undefined) throw new Error(`${path} vanished while it was being read`, { cause: error });
    return { keys: winner, generated: false };
  }
}

function readStored(path: string): VapidKeys | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const lines = new Map(
    text
      .split("\n")
      .map((line) => line.trim().split("=", 2) as [string, string | undefined])
      .filter((pair): pair is [string, string] => pair[1] !== undefined),
  );
  const keys = {
    publicKey: lines.get("VAPID_PUBLIC_KEY") ?? "",
    privateKey: lines.get("VAPID_PRIVATE_KEY") ?? "",
  };
  const problem = vapidKeyProblem(keys);
  if (problem !== undefined) {
    throw new Error(
      `${path}: ${problem.variable} ${problem.problem}; fix the file, or delete it to make a new pair (existing push subscriptions then stop working)`,
    );
  }
  return keys;
}
