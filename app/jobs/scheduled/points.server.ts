import type { Database } from "~/db.server";
import { approveDueLots, expirePoints } from "~/modules/ledger";

import { forEachInstalledShop, type JobOptions } from "./common.server";

/** At most this many lots approved, and members expired, per shop and run. */
export const POINTS_BATCH = 200;

/**
 * Approves the due pending lots and expires the overdue ones of every installed shop, through the
 * ledger (which locks each member and updates lots conditionally, so two workers never approve or
 * expire the same lot twice). A bounded batch per shop; the rest waits for the next run.
 */
export async function runPointsMaintenance(db: Database, options: JobOptions & { limit?: number } = {}) {
  const at = options.now ?? new Date();
  const limit = options.limit ?? POINTS_BATCH;
  let approved = 0;
  let expiredCenti = 0n;
  const { shops, failed } = await forEachInstalledShop(db, "points", options, async (shop) => {
    approved += await approveDueLots(db, { shopId: shop.id, at, actor: "system:approvals", limit });
    expiredCenti += (await expirePoints(db, { shopId: shop.id, at, actor: "system:expiry", limit })).expiredCenti;
  });
  return { shops, failed, approved, expiredCenti };
}
