import type { Database } from "~/db.server";
import { ApiProblem } from "~/lib/api-problem";
import { rewardHistoryStatus } from "~/modules/api/mage-reward-history";
import { CustomerRewardNotFoundError, refundCustomerReward, RewardNotRefundableError } from "~/modules/ledger";
import { deactivateRewardDiscount, findDiscountIdByCode, ShopifyUnavailableError } from "~/shopify/discounts.server";
import { unauthenticated } from "~/shopify.server";

// Taking back a purchased reward, from any door (Mage's reward-history refund, Appstle's
// update-discount REFUNDED): the discount code is deactivated in Shopify first, and only then do
// the points go back (one ledger transaction). The other order would let a shopper keep both the
// points and a working code.

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

/**
 * Deactivates a purchased reward's discount code in Shopify, so that it no longer applies at
 * checkout. 422 when Shopify counts the code as used already; 503 (with `unchanged` saying what did
 * not happen) when Shopify cannot be reached. A code that Shopify no longer has is fine.
 */
export async function deactivateDiscountInShopify(
  db: Database,
  shopId: string,
  row: { shopifyDiscountId: string | null; discountCode: string | null },
  unchanged: string,
) {
  if (!row.shopifyDiscountId && !row.discountCode) return;
  const shop = await db.shop.findUniqueOrThrow({ where: { id: shopId } });
  const { admin } = await unauthenticated.admin(shop.domain);
  try {
    const discountId =
      row.shopifyDiscountId ?? (row.discountCode ? await findDiscountIdByCode(admin.graphql, row.discountCode) : null);
    const deactivated = discountId
      ? await deactivateRewardDiscount(admin.graphql, discountId)
      : ({ gone: true } as const);
    if (!deactivated.gone && deactivated.usageCount > 0) throw notRefundable("used", null);
  } catch (error) {
    if (!(error instanceof ShopifyUnavailableError)) throw error;
    throw new ApiProblem(503, `Unable to connect to Shopify to deactivate the discount code; ${unchanged}`);
  }
}

/**
 * Refunds the shop's purchased reward `customerRewardId`. 404 when the shop has no such reward (a
 * failed purchase never became one); 409 / 422 when it is not refundable; 503 (nothing refunded)
 * when Shopify cannot be reached to deactivate its code; 422 when Shopify counts the code as used.
 */
export async function refundPurchasedReward(
  db: Database,
  input: { shopId: string; customerRewardId: string; actor: string; idempotencyKey?: string | null },
) {
  const row = await db.customerReward.findFirst({ where: { id: input.customerRewardId, shopId: input.shopId } });
  if (!row || row.status === "failed") throw new CustomerRewardNotFoundError(input.customerRewardId);
  const shown = rewardHistoryStatus(row);
  if (row.status !== "active" || shown !== "active")
    throw notRefundable(row.status === "active" ? shown : row.status, row.usedAt);

  const reward = await db.reward.findUniqueOrThrow({ where: { id: row.rewardId }, select: { discountType: true } });
  // Its value sits in the customer's Shopify store credit, which may be spent already: giving the
  // points back without taking the credit would pay twice.
  if (reward.discountType === "store_credit") {
    throw new ApiProblem(
      422,
      "A store-credit reward cannot be refunded: its credit is in the customer's Shopify store credit account",
      "Reward Not Refundable",
    );
  }
  await deactivateDiscountInShopify(db, input.shopId, row, "nothing was refunded");

  try {
    await refundCustomerReward(db, {
      shopId: input.shopId,
      customerRewardId: row.id,
      actor: input.actor,
      idempotencyKey: input.idempotencyKey,
    });
  } catch (error) {
    // Another request changed the reward meanwhile.
    if (error instanceof RewardNotRefundableError) throw notRefundable(error.currentStatus, null);
    throw error;
  }
  return row.id;
}
