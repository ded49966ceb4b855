import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import { env } from "./env.server";

// Secrets the app must read back (an outbound webhook's signing secret) are kept encrypted with
// AES-256-GCM under ENCRYPTION_KEY (docs/decisions/0006-encrypted-integration-secrets.md). The
// stored text is `v1:<iv>:<tag>:<ciphertext>`, each part base64url: the version names the format
// and the key generation, so a later key rotation can add v2 and still read v1.

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A stored secret that cannot be decrypted: tampered with, bound to another record, or another key. */
export class SecretDecryptionError extends Error {
  constructor(reason: string) {
    super(`The stored secret cannot be decrypted: ${reason}`);
    this.name = "SecretDecryptionError";
  }
}

const keyOrDefault = (key: Buffer | undefined) => {
  const resolved = key ?? env().ENCRYPTION_KEY;
  if (resolved.length !== KEY_BYTES) throw new Error(`An encryption key must be ${KEY_BYTES} bytes`);
  return resolved;
};

/**
 * Encrypts `plaintext`, bound to `context` (e.g. "webhook_subscription:<shop>:<id>"): it decrypts
 * only with the same context, so a ciphertext copied to another record is refused.
 */
export function encryptSecret(plaintext: string, context: string, key?: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyOrDefault(key), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv, tag, data]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(":");
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The plaintext of `encryptSecret(…, context)`; throws SecretDecryptionError for anything else. */
export function decryptSecret(stored: string, context: string, key?: Buffer): string {
  const parts = stored.split(":");
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretDecryptionError(`not in the ${VERSION} format`);
  const [, ivText, tagText, dataText] = parts as [string, string, string, string];
  if (![ivText, tagText, dataText].every((part) => BASE64URL.test(part))) {
    throw new SecretDecryptionError("not base64url");
  }
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretDecryptionError("bad IV or tag length");
  const decipher = createDecipheriv("aes-256-gcm", keyOrDefault(key), iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(Buffer.from(dataText, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretDecryptionError("authentication failed (wrong key, wrong record, or altered)");
  }
}
