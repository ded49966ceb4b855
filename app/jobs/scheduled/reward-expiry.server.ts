import type { Database } from "~/db.server";
import { expireCustomerRewardWithReturn, RewardNotRefundableError } from "~/modules/ledger";

import { forEachInstalledShop, type JobOptions } from "./common.server";

/** At most this many rewards expired per shop and run. */
export const REWARD_EXPIRY_BATCH = 100;

/**
 * Expires the unused rewards (active, expiresAt passed) of every installed shop. The Shopify code
 * ends by itself (its endsAt), so no Shopify call. When the shop's returnPointsOnRewardExpiry is on,
 * the points go back through the ledger (expireCustomerRewardWithReturn); otherwise the reward is
 * only marked expired. Either way by a conditional update on status "active": of two workers, one
 * expires it and the other skips it.
 */
export async function runRewardExpiry(db: Database, options: JobOptions & { limit?: number } = {}) {
  const now = options.now ?? new Date();
  let expired = 0;
  let returned = 0;
  const { shops, failed } = await forEachInstalledShop(db, "reward-expiry", options, async (shop) => {
    const due = await db.customerReward.findMany({
      where: { shopId: shop.id, status: "active", expiresAt: { lte: now } },
      select: { id: true },
      orderBy: [{ expiresAt: "asc" }, { id: "asc" }],
      take: options.limit ?? REWARD_EXPIRY_BATCH,
    });
    for (const { id } of due) {
      if (shop.returnPointsOnRewardExpiry) {
        try {
          await expireCustomerRewardWithReturn(db, {
            shopId: shop.id,
            customerRewardId: id,
            actor: "system:reward-expiry",
            at: now,
          });
          expired += 1;
          returned += 1;
        } catch (error) {
          // Used, refunded or expired by another worker meanwhile.
          if (!(error instanceof RewardNotRefundableError)) throw error;
        }
      } else {
        const { count } = await db.customerReward.updateMany({
          where: { id, shopId: shop.id, status: "active", expiresAt: { lte: now } },
          data: { status: "expired" },
        });
        expired += count;
      }
    }
  });
  return { shops, failed, expired, returned };
}
