import { randomInt } from "node:crypto";

import type { Database } from "~/db.server";
import {
  LedgerError,
  activateReservedReward,
  cancelReservedReward,
  purchaseReward,
  type PurchaseRewardInput,
} from "~/modules/ledger";
import { formatMoney } from "~/modules/ledger/math";
import type { AdminGraphql } from "~/shopify/admin-graphql.server";
import { createRewardDiscount, ShopifyUnavailableError } from "~/shopify/discounts.server";

/** A discount is tied to a Shopify customer; a member imported by email alone has none yet. */
export class MemberNotLinkedError extends LedgerError {
  readonly code = "member_not_linked";
  readonly status = 422;
  constructor() {
    super("This customer has no Shopify customer account yet, so no discount code can be made for them");
  }
}

/** Unambiguous characters for codes a shopper may type (no 0/O, 1/I/L). */
const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
export const DEFAULT_CODE_PREFIX = "PW";

/** A discount code: prefix and 10 random characters (~49 bits), unguessable. */
export function generateDiscountCode(prefix = DEFAULT_CODE_PREFIX) {
  let random = "";
  for (let i = 0; i < 10; i++) random += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${prefix}-${random}`;
}

/**
 * Buys a reward with points and gives the member its Shopify discount code: the points are reserved
 * in the ledger first, then the code is created in Shopify (the one synchronous call), then the
 * reward is activated. If Shopify cannot be reached the reservation is undone — every point comes
 * back — and ShopifyUnavailableError is thrown (the APIs answer 503). Store-credit rewards are
 * credited by the store-credit flow and are not handled here.
 */
export async function purchaseRewardWithDiscount(
  db: Database,
  graphql: AdminGraphql,
  input: Omit<PurchaseRewardInput, "discountCode" | "initialStatus">,
) {
  const code = generateDiscountCode();
  const reserved = await purchaseReward(db, { ...input, discountCode: code, initialStatus: "pending" });
  // A replay (same Idempotency-Key) of a purchase that has finished: answer as it ended.
  const current = await db.customerReward.findUniqueOrThrow({
    where: { id: reserved.id },
    include: { reward: { select: { name: true, discountType: true } } },
  });
  if (current.status === "failed") throw new ShopifyUnavailableError("the original purchase could not reach Shopify");
  if (current.status !== "pending") {
    return { ...current, rewardName: current.reward.name, discountType: current.reward.discountType };
  }
  const [shop, member, reward] = await Promise.all([
    db.shop.findUniqueOrThrow({ where: { id: input.shopId } }),
    db.customer.findUniqueOrThrow({ where: { id: reserved.memberId } }),
    db.reward.findUniqueOrThrow({ where: { id: reserved.rewardId } }),
  ]);
  if (!member.shopifyCustomerId) {
    await cancelReservedReward(db, {
      shopId: input.shopId,
      customerRewardId: reserved.id,
      actor: input.actor,
      reason: "the member has no Shopify customer",
    });
    throw new MemberNotLinkedError();
  }
  const money = (minor: bigint | null) => (minor === null ? null : formatMoney(minor, shop.currencyCode));
  let shopifyDiscountId: string;
  try {
    shopifyDiscountId = await createRewardDiscount(graphql, {
      code,
      title: `${reward.name} — ${code}`,
      customerGid: `gid://shopify/Customer/${member.shopifyCustomerId}`,
      discountType: reward.discountType,
      currencyCode: shop.currencyCode,
      amount: money(reserved.valueMinor ?? reward.discountAmountMinor),
      percentage: reward.discountPercentBp === null ? null : reward.discountPercentBp / 10_000,
      minimumSubtotal: money(reward.minimumSpendMinor),
      freeProductVariantGid: reward.freeProductVariantId,
      endsAt: reserved.expiresAt,
      combinesWith: {
        orderDiscounts: reward.combinesWithOrder,
        productDiscounts: reward.combinesWithProduct,
        shippingDiscounts: reward.combinesWithShipping,
      },
    });
  } catch (error) {
    const reason = error instanceof ShopifyUnavailableError ? "Shopify unreachable" : "Shopify refused the discount";
    await cancelReservedReward(db, { shopId: input.shopId, customerRewardId: reserved.id, actor: input.actor, reason });
    throw error;
  }
  return activateReservedReward(db, {
    shopId: input.shopId,
    customerRewardId: reserved.id,
    discountCode: code,
    shopifyDiscountId,
    actor: input.actor,
  });
}
