import type { Database } from "~/db.server";
import { recomputeAllTiers } from "~/modules/ledger";

import { forEachInstalledShop, runClaimed, utcDate, type JobOptions } from "./common.server";

/**
 * Re-evaluates every member's tier once per shop and UTC day: the JobState row (job "tiers", key the
 * date) is claimed by one worker only, and a finished day is never run again.
 */
export async function runDailyTiers(db: Database, options: JobOptions = {}) {
  const now = options.now ?? new Date();
  const key = utcDate(now);
  let ran = 0;
  let moved = 0;
  const { shops, failed } = await forEachInstalledShop(db, "tiers", options, async (shop) => {
    const result = await runClaimed(db, { shopId: shop.id, job: "tiers", key, now }, async () => {
      const count = await recomputeAllTiers(db, {
        shopId: shop.id,
        actor: "system:tiers",
        reason: "daily tier review",
      });
      return { cursor: null, processed: count, done: true };
    });
    if (result) {
      ran += 1;
      moved += result.processed;
    }
  });
  return { shops, failed, ran, moved };
}
