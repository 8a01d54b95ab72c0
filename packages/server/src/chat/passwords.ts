/**
 * Password hashing: argon2id with the library's memory-hard defaults. The native library loads
 * with the first sign-in or password set, not at boot: a restart with no one signing in need not
 * pay for it (loadOnce.ts).
 */
import { loadOnce } from "../loadOnce.js";
import { importPackage } from "../importPackage.js";

const loadArgon2 = loadOnce(() => importPackage<typeof import("@node-rs/argon2")>("@node-rs/argon2"));

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

export async function hashPassword(password: string): Promise<string> {
  return (await loadArgon2()).hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  // Outside the try: a library that fails to load is an error, not a wrong password.
  const { verify } = await loadArgon2();
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A real hash to verify against when the username is unknown, so timing does not tell. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  return (decoy ??= hashPassword("parley-decoy-password"));
}
