import type { Database } from "~/db.server";
import { isUniqueViolation } from "~/modules/ledger/transaction.server";

import { describeError } from "../worker.server";

/** What every scheduled job takes: the time it runs at (fixed in tests) and where it logs. */
export interface JobOptions {
  now?: Date;
  log?: (line: string) => void;
}

/** How long a claimed JobState holds: a worker that dies mid-run loses it after this. */
export const JOB_LEASE_MS = 10 * 60_000;

const defaultLog = (line: string) => console.warn(line);

/** The UTC calendar date of an instant, "YYYY-MM-DD" (shops' time zones are not stored: UTC). */
export const utcDate = (at: Date) => at.toISOString().slice(0, 10);

/**
 * Runs `work` for every installed shop (uninstalledAt null), in id order. One shop's error is logged
 * (name and message, secrets redacted) and counted; the other shops go on.
 */
export async function forEachInstalledShop(
  db: Database,
  job: string,
  options: JobOptions,
  work: (shop: { id: string; domain: string; returnPointsOnRewardExpiry: boolean }) => Promise<void>,
) {
  const log = options.log ?? defaultLog;
  const shops = await db.shop.findMany({
    where: { uninstalledAt: null },
    select: { id: true, domain: true, returnPointsOnRewardExpiry: true },
    orderBy: { id: "asc" },
  });
  let failed = 0;
  for (const shop of shops) {
    try {
      await work(shop);
    } catch (error) {
      failed += 1;
      log(`job ${job} failed for shop ${shop.domain}: ${describeError(error)}`);
    }
  }
  return { shops: shops.length, failed };
}

export interface ClaimedRun {
  cursor: string | null;
}

/**
 * Runs one batch of a job's period for a shop under its JobState row (unique per shop, job and key):
 * the row is inserted if missing (a concurrent insert is skipped), then claimed by a conditional
 * update that only one worker can win (idle or failed, or running with a lapsed lease). `work`
 * returns where it stopped and whether the period is finished; a finished period is never run
 * again. Returns null when another worker holds it or it is done.
 */
export async function runClaimed(
  db: Database,
  target: { shopId: string; job: string; key: string; now: Date },
  work: (run: ClaimedRun) => Promise<{ cursor: string | null; processed: number; done: boolean }>,
) {
  const { shopId, job, key, now } = target;
  try {
    await db.jobState.create({ data: { shopId, job, key } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const leaseUntil = new Date(now.getTime() + JOB_LEASE_MS);
  const { count } = await db.jobState.updateMany({
    where: {
      shopId,
      job,
      key,
      OR: [{ status: "idle" }, { status: "failed" }, { status: "running", leaseUntil: { lt: now } }],
    },
    data: { status: "running", leaseUntil, startedAt: now },
  });
  if (count !== 1) return null;
  const state = await db.jobState.findUniqueOrThrow({ where: { shopId_job_key: { shopId, job, key } } });
  const mine = { id: state.id, status: "running", leaseUntil };
  try {
    const result = await work({ cursor: state.cursor });
    await db.jobState.updateMany({
      where: mine,
      data: {
        status: result.done ? "done" : "idle",
        cursor: result.cursor,
        processed: { increment: result.processed },
        leaseUntil: null,
        lastError: null,
        ...(result.done ? { finishedAt: now } : {}),
      },
    });
    return result;
  } catch (error) {
    await db.jobState.updateMany({
      where: mine,
      data: { status: "failed", leaseUntil: null, lastError: describeError(error) },
    });
    throw error;
  }
}
