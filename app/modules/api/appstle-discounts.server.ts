import type { Database } from "~/db.server";
import { ApiProblem } from "~/lib/api.server";
import { inTransaction, requireMember } from "~/modules/ledger";
import { deactivateDiscountInShopify, refundPurchasedReward } from "~/modules/rewards/refund.server";
import { recordSideEffects } from "~/modules/ledger/records.server";

import { effectiveRewardStatus, REWARD_ENTRY_INCLUDE, rewardEntry, SETTLED_REWARD_STATUSES } from "./appstle.server";

// Appstle's check-discount and update-discount: a customer's bought reward, named by its discount
// code. Codes are matched as given or upper-cased (Pointwise's codes are upper case, and Shopify
// treats codes case-insensitively).

const codeCandidates = (code: string) => [...new Set([code, code.toUpperCase()])];

async function findCode(db: Database, shopId: string, code: string) {
  const found = await db.customerReward.findMany({
    where: { shopId, discountCode: { in: codeCandidates(code) } },
    include: REWARD_ENTRY_INCLUDE,
  });
  return found.find((reward) => reward.discountCode === code) ?? found[0] ?? null;
}

export type DiscountCheckReason = "NOT_FOUND" | "NOT_YOURS" | "USED" | "EXPIRED" | "REFUNDED";

const REASONS: Record<string, DiscountCheckReason> = { used: "USED", expired: "EXPIRED", refunded: "REFUNDED" };

/**
 * Whether a discount code can still be used by the customer: it exists in the shop, belongs to the
 * customer, is active and has not passed its expiry date. A code of another customer says only
 * NOT_YOURS; a purchase still being set up (or one that failed) has no usable code: NOT_FOUND.
 */
export async function checkDiscount(
  db: Database,
  input: { shopId: string; identifier: string; discountCode: string; at?: Date },
) {
  const member = await requireMember(db, input.shopId, input.identifier);
  const reward = await findCode(db, input.shopId, input.discountCode);
  const answer = (reason: DiscountCheckReason | null, status: string | null) => ({
    valid: reason === null,
    reason,
    discountCode: reward?.discountCode ?? input.discountCode,
    status,
  });
  if (!reward) return answer("NOT_FOUND", null);
  if (reward.memberId !== member.id) return answer("NOT_YOURS", null);
  const status = effectiveRewardStatus(reward, input.at);
  if (status === "active") return answer(null, "ACTIVE");
  const reason = REASONS[status];
  return reason ? answer(reason, status.toUpperCase()) : answer("NOT_FOUND", null);
}

export type DiscountStatusUpdate = "USED" | "UNUSED" | "EXPIRED" | "REFUNDED";

/** The status changes that are not refunds: from which status, to which. */
const TRANSITIONS = {
  USED: { from: "active", to: "used", verb: "marked used" },
  UNUSED: { from: "used", to: "active", verb: "marked unused" },
  EXPIRED: { from: "active", to: "expired", verb: "marked expired" },
} as const;

/**
 * Updates a customer's discount code (Appstle's update-discount). USED marks an active code used
 * (a second USED is a 409), UNUSED takes a used code back to active, EXPIRED ends an active code,
 * REFUNDED refunds it through the ledger (its points come back). Each change is conditional on the
 * status it starts from, so of concurrent calls exactly one succeeds. An unknown code, or one of
 * another customer, is a 404. Returns the updated reward entry.
 */
export async function updateDiscount(
  db: Database,
  input: {
    shopId: string;
    identifier: string;
    discountCode: string;
    status: DiscountStatusUpdate;
    actor: string;
    idempotencyKey?: string | null;
    at?: Date;
  },
) {
  const at = input.at ?? new Date();
  const member = await requireMember(db, input.shopId, input.identifier);
  const reward = await findCode(db, input.shopId, input.discountCode);
  // A purchase still being set up, or one that failed, has no code the customer could use.
  if (!reward || reward.memberId !== member.id || !SETTLED_REWARD_STATUSES.includes(reward.status))
    throw new ApiProblem(404, `Discount code ${input.discountCode} not found for this customer`);
  if (input.status === "REFUNDED") {
    // The code is deactivated in Shopify before the points come back (app/modules/rewards/refund.server.ts).
    await refundPurchasedReward(db, {
      shopId: input.shopId,
      customerRewardId: reward.id,
      actor: input.actor,
      idempotencyKey: input.idempotencyKey,
    });
  } else {
    const transition = TRANSITIONS[input.status];
    // An expired code must stop working at checkout too: Shopify first, then our record.
    if (input.status === "EXPIRED" && reward.status === "active") {
      await deactivateDiscountInShopify(db, input.shopId, reward, "the code was not marked expired");
    }
    await inTransaction(db, async (tx) => {
      const { count } = await tx.customerReward.updateMany({
        where: { id: reward.id, shopId: input.shopId, status: transition.from },
        data: {
          status: transition.to,
          usedAt: transition.to === "used" ? at : transition.to === "active" ? null : undefined,
        },
      });
      if (count !== 1) {
        const current = await tx.customerReward.findUniqueOrThrow({ where: { id: reward.id } });
        throw new ApiProblem(
          409,
          current.status === transition.to
            ? `Discount code ${reward.discountCode} is already ${current.status}`
            : `A discount code that is ${current.status} cannot be ${transition.verb}`,
        );
      }
      await recordSideEffects(tx, {
        shopId: input.shopId,
        memberId: member.id,
        activity: {
          type: "reward_status_changed",
          message: `Discount code ${reward.discountCode} ${transition.verb}`,
          actor: input.actor,
          data: { customerRewardId: reward.id, from: transition.from, to: transition.to },
        },
        events: [{ topic: "member.sync", payload: { memberId: member.id } }],
      });
    });
  }
  const updated = await db.customerReward.findUniqueOrThrow({
    where: { id: reward.id },
    include: REWARD_ENTRY_INCLUDE,
  });
  return { ...rewardEntry(updated), customerId: member.shopifyCustomerId ? Number(member.shopifyCustomerId) : null };
}
