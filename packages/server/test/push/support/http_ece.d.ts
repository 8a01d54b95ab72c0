/** The part of http_ece (the RFC 8188 reference implementation, no types of its own) the tests use. */
declare module "http_ece" {
  import type { ECDH } from "node:crypto";

  interface EceParams {
    version?: "aes128gcm" | "aesgcm";
    /** The receiver's key pair (the browser's subscription key). */
    privateKey?: ECDH;
    /** The subscription's auth secret, base64url or bytes. */
    authSecret?: string | Buffer;
  }

  const ece: {
    decrypt(buffer: Buffer, params: EceParams): Buffer;
  };
  export = ece;
}
