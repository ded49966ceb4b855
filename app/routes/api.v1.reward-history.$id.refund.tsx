import { apiRoute } from "~/lib/api.server";
import { rewardHistoryEntry } from "~/modules/api/mage-reward-history";
import { refundPurchasedReward } from "~/modules/rewards/refund.server";

// POST /api/v1/reward-history/{id}/refund — takes back a purchased reward that has not been used:
// its discount code is deactivated in Shopify first, then its points go back (one ledger transaction).

export const action = apiRoute("mage", {
  POST: async ({ params, db, shopId, actor, idempotencyKey }) => {
    const id = await refundPurchasedReward(db, { shopId, customerRewardId: params.id ?? "", actor, idempotencyKey });
    const refunded = await db.customerReward.findUniqueOrThrow({
      where: { id },
      include: { reward: { select: { name: true, discountType: true } } },
    });
    return Response.json({
      data: rewardHistoryEntry({
        ...refunded,
        rewardName: refunded.reward.name,
        discountType: refunded.reward.discountType,
      }),
    });
  },
});

// GET and every other method go through the same dispatcher (405 with Allow for unsupported ones).
export const loader = action;
