import type { PeriodicJob } from "./worker.server";

/** How often the worker delivers member metafield syncs from the outbox. */
export const METAFIELD_SYNC_EVERY_MS = 5_000;
const MINUTE = 60_000;

/**
 * The periodic jobs of the worker loop besides the webhook inbox. Each runs a bounded batch, is
 * idempotent and safe with several workers (app/jobs/scheduled/).
 */
export const periodicJobs = (): PeriodicJob[] => [
  {
    name: "member-metafields",
    everyMs: METAFIELD_SYNC_EVERY_MS,
    run: async (db, now) => {
      const { syncMemberMetafields } = await import("~/modules/metafields/sync.server");
      return syncMemberMetafields(db, { now });
    },
  },
  {
    name: "program-metafield",
    everyMs: METAFIELD_SYNC_EVERY_MS,
    run: async (db, now) =>
      (await import("~/modules/metafields/program.server")).syncPendingProgramMetafields(db, { now }),
  },
  {
    name: "backfill",
    everyMs: 15_000,
    run: async (db, now) => (await import("~/modules/backfill/backfill.server")).runPendingBackfills(db, now),
  },
  {
    name: "purchase-recovery",
    everyMs: MINUTE,
    run: async (db, now) => (await import("./scheduled/purchase-recovery.server")).runPurchaseRecovery(db, { now }),
  },
  {
    name: "points",
    everyMs: 5 * MINUTE,
    run: async (db, now) => (await import("./scheduled/points.server")).runPointsMaintenance(db, { now }),
  },
  {
    name: "reward-expiry",
    everyMs: 5 * MINUTE,
    run: async (db, now) => (await import("./scheduled/reward-expiry.server")).runRewardExpiry(db, { now }),
  },
  {
    name: "birthdays",
    everyMs: 15 * MINUTE,
    run: async (db, now) => (await import("./scheduled/occasions.server")).runOccasion(db, "birthday", { now }),
  },
  {
    name: "anniversaries",
    everyMs: 15 * MINUTE,
    run: async (db, now) => (await import("./scheduled/occasions.server")).runOccasion(db, "anniversary", { now }),
  },
  {
    name: "tiers",
    everyMs: 60 * MINUTE,
    run: async (db, now) => (await import("./scheduled/tiers.server")).runDailyTiers(db, { now }),
  },
];
