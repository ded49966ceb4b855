import { createHash } from "node:crypto";

import { providerOfClient, type Database } from "~/db.server";

import { IdempotencyConflictError } from "./errors";
import { canonicalJson, deserializeResult, serializeResult } from "./serialize";

/** The client inside a ledger transaction. */
export type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

const MAX_ATTEMPTS = 8;
const TRANSACTION_OPTIONS = { maxWait: 30_000, timeout: 30_000 };

/** A unique-constraint violation, optionally on one of the given fields. */
export function isUniqueViolation(error: unknown, field?: string): boolean {
  const prismaError = error as { code?: string; meta?: { target?: unknown; driverAdapterError?: unknown } };
  if (prismaError?.code !== "P2002") return false;
  if (!field) return true;
  return JSON.stringify(prismaError.meta ?? {}).includes(field);
}

/** Conflicts the database asks us to retry: PostgreSQL deadlocks and serialisation, SQLite busy. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: string })?.code;
  if (code === "P2034") return true;
  const details = `${String((error as Error)?.message ?? error)} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return /SQLITE_BUSY|database is locked|deadlock detected|could not serialize access/i.test(details);
}

/**
 * SQLite: take the write lock before anything else, as BEGIN IMMEDIATE would (Prisma's libsql
 * adapter only begins deferred transactions). A transaction that read first and wrote later could
 * otherwise fail with SQLITE_BUSY at once instead of waiting its turn. A write that matches no row
 * still takes the lock.
 */
async function takeSqliteWriteLock(tx: Tx) {
  await tx.$executeRawUnsafe(`UPDATE "IdempotencyRecord" SET "id" = "id" WHERE 1 = 0`);
}

const pause = (attempt: number) =>
  new Promise((resume) => setTimeout(resume, Math.random() * Math.min(1000, 20 * 2 ** attempt)));

/**
 * Runs `work` in one database transaction, retried (with jittered backoff) when the database
 * reports a write conflict. Every ledger operation is one of these.
 */
export async function inTransaction<T>(db: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      const sqlite = providerOfClient(db) === "sqlite";
      return await db.$transaction(async (tx) => {
        if (sqlite) await takeSqliteWriteLock(tx);
        return work(tx);
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
      await pause(attempt);
    }
  }
}

export interface Idempotency {
  shopId: string;
  operation: string;
  key?: string | null;
  /** Everything that makes the request what it is; the same key must come with the same input. */
  input: unknown;
}

const hashOf = (input: unknown) => createHash("sha256").update(canonicalJson(input)).digest("hex");

async function replay<T>(db: Database, idempotency: Idempotency & { key: string }, requestHash: string) {
  const record = await db.idempotencyRecord.findUnique({
    where: {
      shopId_operation_key: { shopId: idempotency.shopId, operation: idempotency.operation, key: idempotency.key },
    },
  });
  if (!record) return undefined;
  if (record.requestHash !== requestHash) throw new IdempotencyConflictError(idempotency.key);
  return { result: deserializeResult<T>(record.response ?? "null") };
}

/**
 * A ledger operation: one transaction, idempotent under `idempotency.key`. A repeat with the same key
 * and input returns the first result without acting again; the same key with another input is an
 * IdempotencyConflictError. Concurrent repeats are settled by the unique key: the loser re-reads the
 * winner's result.
 */
export async function ledgerOperation<T>(
  db: Database,
  idempotency: Idempotency,
  work: (tx: Tx) => Promise<T>,
): Promise<T> {
  const { key } = idempotency;
  if (!key) return inTransaction(db, work);
  const keyed = { ...idempotency, key };
  const requestHash = hashOf(idempotency.input);
  const earlier = await replay<T>(db, keyed, requestHash);
  if (earlier) return earlier.result;
  try {
    return await inTransaction(db, async (tx) => {
      const record = await tx.idempotencyRecord.create({
        data: { shopId: idempotency.shopId, operation: idempotency.operation, key, requestHash },
      });
      const result = await work(tx);
      await tx.idempotencyRecord.update({ where: { id: record.id }, data: { response: serializeResult(result) } });
      return result;
    });
  } catch (error) {
    if (!isUniqueViolation(error, "operation")) throw error;
    const winner = await replay<T>(db, keyed, requestHash);
    if (!winner) throw error;
    return winner.result;
  }
}
