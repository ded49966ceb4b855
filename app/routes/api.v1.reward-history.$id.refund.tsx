import { ApiProblem, apiError, apiRoute } from "~/lib/api.server";
import { rewardHistoryEntry, rewardHistoryStatus } from "~/modules/api/mage-reward-history";
import { CustomerRewardNotFoundError, refundCustomerReward, RewardNotRefundableError } from "~/modules/ledger";
import { deactivateRewardDiscount, findDiscountIdByCode, ShopifyUnavailableError } from "~/shopify/discounts.server";
import { unauthenticated } from "~/shopify.server";

// POST /api/v1/reward-history/{id}/refund — takes back a purchased reward that has not been used:
// its discount code is deactivated in Shopify first, then its points go back (one ledger transaction).

/** 409 for a reward refunded already (or still being bought), 422 for one used or expired. */
function notRefundable(status: string, usedAt: Date | null) {
  if (status === "refunded") return new ApiProblem(409, "This reward has already been refunded", "Already Refunded");
  if (status === "pending") return new ApiProblem(409, "This reward is still being purchased; retry shortly");
  if (status === "used") {
    return new ApiProblem(
      422,
      `This reward's discount code was used${usedAt ? ` on ${usedAt.toISOString()}` : ""}, so it cannot be refunded`,
      "Reward Not Refundable",
    );
  }
  return new ApiProblem(422, "This reward has expired, so it cannot be refunded", "Reward Not Refundable");
}

export const action = apiRoute("mage", {
  POST: async ({ request, params, db, shopId, actor, idempotencyKey }) => {
    const id = params.id ?? "";
    const row = await db.customerReward.findFirst({ where: { id, shopId } });
    // A purchase that failed (Shopify unreachable) never became a reward: it is not in the history.
    if (!row || row.status === "failed") throw new CustomerRewardNotFoundError(id);
    const shown = rewardHistoryStatus(row);
    if (row.status !== "active" || shown !== "active")
      throw notRefundable(row.status === "active" ? shown : row.status, row.usedAt);

    if (row.shopifyDiscountId || row.discountCode) {
      const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
      const { admin } = await unauthenticated.admin(shop.domain);
      try {
        const discountId =
          row.shopifyDiscountId ??
          (row.discountCode ? await findDiscountIdByCode(admin.graphql, row.discountCode) : null);
        const deactivated = discountId
          ? await deactivateRewardDiscount(admin.graphql, discountId)
          : ({ gone: true } as const);
        if (!deactivated.gone && deactivated.usageCount > 0) throw notRefundable("used", null);
      } catch (error) {
        if (!(error instanceof ShopifyUnavailableError)) throw error;
        throw apiError(
          "mage",
          request,
          503,
          "Unable to connect to Shopify to deactivate the discount code; nothing was refunded",
          { headers: { "Retry-After": "30" } },
        );
      }
    }

    try {
      await refundCustomerReward(db, { shopId, customerRewardId: row.id, actor, idempotencyKey });
    } catch (error) {
      // Another request changed the reward meanwhile.
      if (error instanceof RewardNotRefundableError) throw notRefundable(error.currentStatus, null);
      throw error;
    }
    const refunded = await db.customerReward.findUniqueOrThrow({
      where: { id: row.id },
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
