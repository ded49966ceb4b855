import type { PeriodicJob } from "./worker.server";

/** How often the worker delivers member metafield syncs from the outbox. */
export const METAFIELD_SYNC_EVERY_MS = 5_000;

/** The periodic jobs of the worker loop besides the webhook inbox. */
export const periodicJobs = (): PeriodicJob[] => [
  {
    name: "member-metafields",
    everyMs: METAFIELD_SYNC_EVERY_MS,
    run: async (db, now) => {
      const { syncMemberMetafields } = await import("~/modules/metafields/sync.server");
      return syncMemberMetafields(db, { now });
    },
  },
];
