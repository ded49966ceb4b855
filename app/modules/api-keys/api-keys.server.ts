import { createHash, randomInt, timingSafeEqual } from "node:crypto";

import type { Database } from "~/db.server";
import { inTransaction } from "~/modules/ledger/transaction.server";
import { lockShopRow, normaliseShopDomain } from "~/modules/shops/shops.server";

export type ApiKeyScope = "full" | "read";
export const MAX_ACTIVE_KEYS = 10;
const PREFIX_LENGTH = 12; // "pw_" + 9 characters

export class ApiKeyLimitError extends Error {
  constructor() {
    super(`A shop can have at most ${MAX_ACTIVE_KEYS} active API keys; revoke one first`);
    this.name = "ApiKeyLimitError";
  }
}

export class ApiKeyNotFoundError extends Error {
  constructor(prefix: string) {
    super(`No active API key ${prefix}`);
    this.name = "ApiKeyNotFoundError";
  }
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A new secret: "pw_" and 40 base62 characters drawn uniformly (~238 bits), unguessable. */
export function generateSecret() {
  return `pw_${Array.from({ length: 40 }, () => ALPHABET[randomInt(ALPHABET.length)]).join("")}`;
}

const hashOf = (secret: string) => createHash("sha256").update(secret, "utf8").digest();

export class InvalidRateLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidRateLimitError";
  }
}

/** A key's rate limit: whole requests per second from 1 to 10,000, a burst at least that large. */
function checkRateLimit({ perSecond, burst }: { perSecond: number; burst: number }) {
  if (!Number.isInteger(perSecond) || perSecond < 1 || perSecond > 10_000)
    throw new InvalidRateLimitError("The rate limit must be a whole number of requests per second from 1 to 10000");
  if (!Number.isInteger(burst) || burst < perSecond || burst > 100_000)
    throw new InvalidRateLimitError("The burst must be a whole number from the rate limit up to 100000");
}

/** Sets or clears (null: the defaults) an active key's rate limit. */
export async function setApiKeyRateLimit(
  db: Database,
  shopId: string,
  prefixOrId: string,
  rateLimit: { perSecond: number; burst: number } | null,
) {
  if (rateLimit) checkRateLimit(rateLimit);
  const { count } = await db.apiKey.updateMany({
    where: { shopId, revokedAt: null, OR: [{ prefix: prefixOrId }, { id: prefixOrId }] },
    data: { rateLimitPerSecond: rateLimit?.perSecond ?? null, rateLimitBurst: rateLimit?.burst ?? null },
  });
  if (count === 0) throw new ApiKeyNotFoundError(prefixOrId);
}

/** Creates a key; the only time its secret is ever returned. */
export async function createApiKey(
  db: Database,
  input: {
    shopId: string;
    name: string;
    scope: ApiKeyScope;
    secret?: string;
    /** Requests per second and burst; the defaults (20, 40) when left out. */
    rateLimit?: { perSecond: number; burst: number };
  },
) {
  const secret = input.secret ?? generateSecret();
  if (input.rateLimit) checkRateLimit(input.rateLimit);
  // The shop's row lock makes the count and the insert one step under concurrent creates.
  const key = await inTransaction(db, async (tx) => {
    await lockShopRow(tx, input.shopId);
    const active = await tx.apiKey.count({ where: { shopId: input.shopId, revokedAt: null } });
    if (active >= MAX_ACTIVE_KEYS) throw new ApiKeyLimitError();
    return tx.apiKey.create({
      data: {
        shopId: input.shopId,
        name: input.name,
        scope: input.scope,
        prefix: secret.slice(0, PREFIX_LENGTH),
        secretHash: hashOf(secret).toString("hex"),
        rateLimitPerSecond: input.rateLimit?.perSecond ?? null,
        rateLimitBurst: input.rateLimit?.burst ?? null,
      },
    });
  });
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scope: key.scope as ApiKeyScope,
    createdAt: key.createdAt,
    secret,
  };
}

/** The shop's keys, newest first, by prefix; never a secret or its hash. */
export function listApiKeys(db: Database, shopId: string) {
  return db.apiKey.findMany({
    where: { shopId },
    select: {
      id: true,
      name: true,
      prefix: true,
      scope: true,
      rateLimitPerSecond: true,
      rateLimitBurst: true,
      createdAt: true,
      lastUsedAt: true,
      revokedAt: true,
    },
    orderBy: { createdAt: "desc" },
  });
}

/** Revokes a key by id or prefix; it stops working at once. */
export async function revokeApiKey(db: Database, shopId: string, idOrPrefix: string) {
  const { count } = await db.apiKey.updateMany({
    where: { shopId, revokedAt: null, OR: [{ id: idOrPrefix }, { prefix: idOrPrefix }] },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new ApiKeyNotFoundError(idOrPrefix);
}

/**
 * The key a request presents, from `Authorization: <key>`, `Authorization: Bearer <key>` or
 * `X-API-Key: <key>` (Mage's and Appstle's conventions).
 */
export function presentedKey(headers: Headers): string | null {
  const header = headers.get("X-API-Key") ?? headers.get("Authorization");
  if (!header) return null;
  const value = header
    .trim()
    .replace(/^Bearer(\s+|$)/i, "")
    .trim();
  return value.length > 0 ? value : null;
}

/** The active key (and its shop) a secret belongs to, or null. Compares hashes in constant time. */
export async function findApiKeyBySecret(db: Database, secret: string) {
  if (!secret.startsWith("pw_") || secret.length < PREFIX_LENGTH + 8 || secret.length > 200) return null;
  const key = await db.apiKey.findUnique({
    where: { prefix: secret.slice(0, PREFIX_LENGTH) },
    include: { shop: true },
  });
  if (!key || key.revokedAt) return null;
  const stored = Buffer.from(key.secretHash, "hex");
  const presented = hashOf(secret);
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented)) return null;
  return key;
}

/** The shop a CLI user names by its myshopify domain. */
export async function requireShopByDomain(db: Database, domain: string) {
  const shop = await db.shop.findUnique({ where: { domain: normaliseShopDomain(domain) } });
  if (!shop) throw new Error(`No shop ${domain} has installed Pointwise`);
  return shop;
}
