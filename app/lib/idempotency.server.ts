import { createHash } from "node:crypto";

import type { Database } from "~/db.server";
import { isUniqueViolation } from "~/modules/ledger/transaction.server";

import { ApiProblem } from "./api-problem";
import { decryptSecret, encryptSecret } from "./crypto.server";

/** How long an answer is kept for replays. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

type Claim = { kind: "claimed"; id: string } | { kind: "replay"; response: Response };

/**
 * Claims an Idempotency-Key for a mutating request. The first request with a key runs; a repeat
 * with the same method, path and body gets the stored answer (Idempotent-Replayed: true); one with
 * another request is refused (422); one that arrives while the first still runs gets 409.
 */
export async function claimIdempotencyKey(
  db: Database,
  input: { shopId: string; key: string; method: string; path: string; body: string },
): Promise<Claim> {
  if (input.key.length > 255) throw new ApiProblem(400, "Idempotency-Key must be at most 255 characters");
  const requestHash = createHash("sha256").update(`${input.method} ${input.path}\n${input.body}`).digest("hex");
  await db.apiIdempotentRequest.deleteMany({
    where: { shopId: input.shopId, key: input.key, createdAt: { lt: new Date(Date.now() - IDEMPOTENCY_TTL_MS) } },
  });
  try {
    const record = await db.apiIdempotentRequest.create({
      data: { shopId: input.shopId, key: input.key, method: input.method, path: input.path, requestHash },
    });
    return { kind: "claimed", id: record.id };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const earlier = await db.apiIdempotentRequest.findUnique({
    where: { shopId_key: { shopId: input.shopId, key: input.key } },
  });
  if (!earlier) throw new ApiProblem(409, "A request with this Idempotency-Key is being processed; retry shortly");
  if (earlier.requestHash !== requestHash) {
    throw new ApiProblem(422, "This Idempotency-Key was already used with a different request");
  }
  if (earlier.status === null)
    throw new ApiProblem(409, "A request with this Idempotency-Key is still being processed; retry shortly");
  const secret = earlier.body?.startsWith(ENCRYPTED) ?? false;
  const body = secret
    ? decryptSecret((earlier.body as string).slice(ENCRYPTED.length), contextOf(earlier.id))
    : earlier.body;
  return {
    kind: "replay",
    response: new Response(body, {
      status: earlier.status,
      headers: {
        "Content-Type": earlier.contentType ?? "application/json",
        "Idempotent-Replayed": "true",
        ...(secret ? { "Cache-Control": "no-store" } : {}),
      },
    }),
  };
}

/**
 * Answers marked `Cache-Control: no-store` hold a secret shown once (a webhook subscription's
 * signing secret): they are kept for replays encrypted, never in plain text. JSON never starts with
 * this prefix, so it tells the two kinds apart.
 */
const ENCRYPTED = "encrypted:";
const contextOf = (recordId: string) => `api_idempotent_request:${recordId}`;

/**
 * Stores the answer of a claimed request for replays. A server-side failure (5xx) is not kept: the
 * key is released so that a retry runs again (nothing was changed by it).
 */
export async function completeIdempotencyKey(db: Database, id: string, response: Response) {
  if (response.status >= 500) {
    await db.apiIdempotentRequest.delete({ where: { id } });
    return response;
  }
  const text = await response.clone().text();
  const secret = response.headers.get("Cache-Control")?.includes("no-store") ?? false;
  const body = secret ? ENCRYPTED + encryptSecret(text, contextOf(id)) : text;
  await db.apiIdempotentRequest.update({
    where: { id },
    data: { status: response.status, body, contentType: response.headers.get("Content-Type"), completedAt: new Date() },
  });
  return response;
}

/** Releases a claim whose request failed before it produced an answer. */
export async function releaseIdempotencyKey(db: Database, id: string) {
  await db.apiIdempotentRequest.deleteMany({ where: { id } });
}
