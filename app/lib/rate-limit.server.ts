import { providerOfClient, type Database } from "~/db.server";

/** Per-key defaults: 20 requests a second, bursts of 40. */
export const DEFAULT_RATE = 20;
export const DEFAULT_BURST = 40;

export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit-Reset). */
  resetSeconds: number;
  /** Seconds until the next request would be allowed (Retry-After), when refused. */
  retryAfterSeconds: number;
}

/**
 * Takes one token from the key's bucket, atomically in the database, so the limit holds across all
 * app processes that share it. A single conditional UPDATE refills by elapsed time and takes the
 * token only if one is there.
 */
export async function takeToken(
  db: Database,
  keyId: string,
  options: { rate?: number | null; burst?: number | null; nowMs?: number } = {},
): Promise<RateLimitResult> {
  const rate = options.rate ?? DEFAULT_RATE;
  const burst = options.burst ?? DEFAULT_BURST;
  const now = BigInt(options.nowMs ?? Date.now());
  const full = BigInt(burst) * 1000n;
  const postgres = providerOfClient(db) === "postgresql";
  const least = postgres ? "LEAST" : "MIN";
  const greatest = postgres ? "GREATEST" : "MAX";
  const param = postgres ? "$1" : "?";
  // Only integers this function computed are written into the SQL; the key id is a parameter.
  if (!Number.isInteger(rate) || !Number.isInteger(burst) || rate <= 0 || burst <= 0) {
    throw new RangeError("rate and burst must be positive integers");
  }
  // A new key starts with a full bucket.
  await db.$executeRawUnsafe(
    `INSERT INTO "ApiRateLimit" ("keyId", "milliTokens", "updatedMs") VALUES (${param}, ${full}, ${now}) ON CONFLICT ("keyId") DO NOTHING`,
    keyId,
  );
  const refilled = `${least}(${full}, "milliTokens" + ${greatest}(0, ${now} - "updatedMs") * ${rate})`;
  const rows = await db.$queryRawUnsafe<{ milliTokens: bigint | number }[]>(
    `UPDATE "ApiRateLimit" SET "milliTokens" = ${refilled} - 1000, "updatedMs" = ${greatest}("updatedMs", ${now})
     WHERE "keyId" = ${param} AND ${refilled} >= 1000 RETURNING "milliTokens"`,
    keyId,
  );
  const tokensLeft = rows[0] ? BigInt(rows[0].milliTokens) : null;
  if (tokensLeft !== null) {
    return {
      allowed: true,
      limit: rate,
      remaining: Number(tokensLeft / 1000n),
      resetSeconds: Math.ceil(Number(full - tokensLeft) / rate / 1000),
      retryAfterSeconds: 0,
    };
  }
  const [state] = await db.$queryRawUnsafe<{ milliTokens: bigint | number; updatedMs: bigint | number }[]>(
    `SELECT "milliTokens", "updatedMs" FROM "ApiRateLimit" WHERE "keyId" = ${param}`,
    keyId,
  );
  const current = state ? BigInt(state.milliTokens) + (now - BigInt(state.updatedMs)) * BigInt(rate) : 0n;
  const missing = 1000n - (current > 1000n ? 1000n : current);
  return {
    allowed: false,
    limit: rate,
    remaining: 0,
    resetSeconds: Math.ceil(Number(full) / rate / 1000),
    retryAfterSeconds: Math.max(1, Math.ceil(Number(missing) / rate / 1000)),
  };
}

/** The RateLimit-* headers every API response carries. */
export const rateLimitHeaders = (result: RateLimitResult) => ({
  "RateLimit-Limit": String(result.limit),
  "RateLimit-Remaining": String(result.remaining),
  "RateLimit-Reset": String(result.resetSeconds),
});
