import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { decryptSecret, encryptSecret, SecretDecryptionError } from "./crypto.server";

const key = Buffer.from("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "hex");
const context = "webhook_subscription:shop_1:sub_1";
const secret = "whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

/** Flips one bit of the n-th part (1 = iv, 2 = tag, 3 = data) of a stored secret. */
function flipBit(stored: string, part: 1 | 2 | 3) {
  const parts = stored.split(":");
  const bytes = Buffer.from(parts[part]!, "base64url");
  bytes[0]! ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(":");
}

describe("encryptSecret / decryptSecret", () => {
  it("GIVEN a secret THEN it comes back from its ciphertext, which does not contain it", () => {
    const stored = encryptSecret(secret, context, key);
    expect(stored).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(Buffer.from(secret).toString("base64url"));
    expect(decryptSecret(stored, context, key)).toBe(secret);
  });

  it("GIVEN the same secret twice THEN the ciphertexts differ (a fresh IV each time)", () => {
    const first = encryptSecret(secret, context, key);
    const second = encryptSecret(secret, context, key);
    expect(first).not.toBe(second);
    expect(first.split(":")[1]).not.toBe(second.split(":")[1]);
  });

  it("round-trips any text, empty and non-ASCII included", () => {
    for (const text of ["", "é✓ 🎉", "x".repeat(10_000), randomBytes(64).toString("base64")]) {
      expect(decryptSecret(encryptSecret(text, context, key), context, key)).toBe(text);
    }
  });

  it.each([
    ["the IV", 1],
    ["the tag", 2],
    ["the ciphertext", 3],
  ] as const)("GIVEN %s altered THEN decryption is refused", (_name, part) => {
    const stored = encryptSecret(secret, context, key);
    expect(() => decryptSecret(flipBit(stored, part), context, key)).toThrow(SecretDecryptionError);
  });

  it("GIVEN a truncated ciphertext or a dropped part THEN decryption is refused", () => {
    const stored = encryptSecret(secret, context, key);
    expect(() => decryptSecret(stored.slice(0, -2), context, key)).toThrow(SecretDecryptionError);
    const [version, iv, , data] = stored.split(":");
    expect(() => decryptSecret(`${version}:${iv}:${data}`, context, key)).toThrow(/v1 format/);
    expect(() => decryptSecret(`${version}:${iv}:AAAA:${data}`, context, key)).toThrow(/tag length/);
    expect(() => decryptSecret(`${stored}:extra`, context, key)).toThrow(/v1 format/);
    expect(() => decryptSecret(stored.replace(/^v1:/, "v2:"), context, key)).toThrow(/v1 format/);
    expect(() => decryptSecret(stored.replace(/:([^:]+)$/, ":not base64!"), context, key)).toThrow(/base64url/);
  });

  it("GIVEN another key THEN decryption is refused", () => {
    const stored = encryptSecret(secret, context, key);
    const otherKey = Buffer.from(key);
    otherKey[31]! ^= 0x80;
    expect(() => decryptSecret(stored, context, otherKey)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(stored, context, randomBytes(32))).toThrow(/authentication failed/);
  });

  it("GIVEN the ciphertext moved to another record THEN decryption is refused", () => {
    const stored = encryptSecret(secret, context, key);
    expect(() => decryptSecret(stored, "webhook_subscription:shop_2:sub_1", key)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret(stored, "webhook_subscription:shop_1:sub_2", key)).toThrow(SecretDecryptionError);
  });

  it("GIVEN a key that is not 32 bytes THEN it is not used", () => {
    expect(() => encryptSecret(secret, context, randomBytes(16))).toThrow(/32 bytes/);
    expect(() => decryptSecret(encryptSecret(secret, context, key), context, randomBytes(31))).toThrow(/32 bytes/);
  });

  it("GIVEN a fixed vector made independently THEN it decrypts (the format is stable)", () => {
    // Made once by an independent implementation (Python's cryptography AESGCM) with this key,
    // IV 000102030405060708090a0b, AAD = context; it must stay readable whatever the code becomes.
    expect(decryptSecret(FIXED_VECTOR, context, key)).toBe(secret);
  });
});

const FIXED_VECTOR =
  "v1:AAECAwQFBgcICQoL:HoVvd0UW_MRa-VllUFTgNg:MGqlfqa6o3nuJfLt1oERB-i66lqfCy4OSxOQ82oRecgxIZzPm_Qkr0ydPq_Lw21-qQ";
