import type { Database } from "~/db.server";

import { applyBalanceChange, lockMember, type LockedMember } from "./balances.server";
import { creditLot } from "./earn.server";
import {
  InsufficientPointsError,
  InvalidAdjustmentError,
  InvalidRewardPointsError,
  LedgerInvariantError,
  RewardLimitReachedError,
  RewardNotFoundError,
  RewardTierRequiredError,
} from "./errors";
import { expireOverdueLots } from "./expiry.server";
import { takeFifo } from "./lots.server";
import { addDays, currencyExponent, divideRounded, formatPoints } from "./math";
import { requireActive, requireMember } from "./members.server";
import { recordSideEffects } from "./records.server";
import { inTransaction, ledgerOperation, type Tx } from "./transaction.server";

/**
 * Takes `amount` from a locked member's spendable lots, first-in-first-out (soonest expiry first),
 * recording which lots paid. Overdue lots are expired first, so only live points are spent.
 */
async function debit(
  tx: Tx,
  member: LockedMember,
  amount: bigint,
  change: { kind: "spend" | "adjust"; actor: string; at: Date; note?: string | null; customerRewardId?: string | null },
) {
  const allocations = await takeFifo(tx, member.id, amount, change.at);
  if (allocations.reduce((total, a) => total + a.amount, 0n) !== amount) {
    throw new LedgerInvariantError(`lots of member ${member.id} hold less than its balance`);
  }
  const result = await applyBalanceChange(tx, member, {
    kind: change.kind,
    available: -amount,
    ...(change.kind === "spend" ? { redeemed: amount } : {}),
    customerRewardId: change.customerRewardId ?? null,
    note: change.note ?? null,
    actor: change.actor,
    at: change.at,
  });
  await tx.lotAllocation.createMany({
    data: allocations.map((allocation) => ({
      lotId: allocation.lotId,
      entryId: result.entry.id,
      customerRewardId: change.customerRewardId ?? null,
      amountCenti: allocation.amount,
    })),
  });
  return { ...result, allocations };
}

export interface PurchaseRewardInput {
  shopId: string;
  rewardId: string;
  identifier: string;
  /** Variable rewards only: how many points to spend (centipoints). */
  pointsCenti?: bigint | null;
  /** The discount code chosen for it (created in Shopify by the caller), if any yet. */
  discountCode?: string | null;
  /**
   * "pending" reserves the points while the caller creates the discount in Shopify; it then
   * activates the reward (activateReservedReward) or gives the points back (cancelReservedReward).
   */
  initialStatus?: "active" | "pending";
  actor: string;
  idempotencyKey?: string | null;
  at?: Date;
}

/** What a purchased reward is worth, and what it costs, for fixed and variable rewards. */
function priceOf(
  reward: {
    isVariable: boolean;
    pointsCostCenti: bigint | null;
    pointsPerUnitCenti: bigint | null;
    minPointsCenti: bigint | null;
    maxPointsCenti: bigint | null;
    discountAmountMinor: bigint | null;
  },
  requested: bigint | null | undefined,
  currencyExponent: number,
) {
  if (!reward.isVariable) {
    if (reward.pointsCostCenti === null || reward.pointsCostCenti <= 0n) {
      throw new LedgerInvariantError("a fixed reward needs a positive points cost");
    }
    return { cost: reward.pointsCostCenti, valueMinor: reward.discountAmountMinor };
  }
  const perUnit = reward.pointsPerUnitCenti;
  if (!perUnit || perUnit <= 0n) throw new LedgerInvariantError("a variable reward needs points per currency unit");
  if (requested === null || requested === undefined || requested <= 0n) {
    throw new InvalidRewardPointsError("This reward needs the number of points to spend");
  }
  if (reward.minPointsCenti !== null && requested < reward.minPointsCenti) {
    throw new InvalidRewardPointsError(
      `At least ${formatPoints(reward.minPointsCenti)} points must be spent on this reward`,
    );
  }
  if (reward.maxPointsCenti !== null && requested > reward.maxPointsCenti) {
    throw new InvalidRewardPointsError(
      `At most ${formatPoints(reward.maxPointsCenti)} points can be spent on this reward`,
    );
  }
  if (requested % perUnit !== 0n) {
    throw new InvalidRewardPointsError(`Points must be a multiple of ${formatPoints(perUnit)} for this reward`);
  }
  return { cost: requested, valueMinor: divideRounded(requested * 10n ** BigInt(currencyExponent), perUnit, "down") };
}

/**
 * Mage's "purchase a reward" (seeds 002/004) and Appstle's redeem-points: checks the seed's rules,
 * spends the points FIFO and records the purchased reward, in one transaction.
 */
export async function purchaseReward(db: Database, input: PurchaseRewardInput) {
  const at = input.at ?? new Date();
  // The code is chosen afresh on every call, so it is not part of what makes a request the same one.
  const { idempotencyKey, at: _at, discountCode: _code, ...request } = input;
  return ledgerOperation(
    db,
    { shopId: input.shopId, operation: "purchase_reward", key: idempotencyKey, input: request },
    async (tx) => {
      const found = await requireMember(tx, input.shopId, input.identifier);
      requireActive(found);
      const reward = await tx.reward.findFirst({
        where: { id: input.rewardId, shopId: input.shopId, isActive: true, deletedAt: null },
        include: { vipTier: true },
      });
      if (!reward) throw new RewardNotFoundError(input.rewardId);
      if (reward.vipTierId && reward.vipTierId !== found.vipTierId) {
        throw new RewardTierRequiredError(reward.vipTier?.name ?? "required");
      }
      const member = await expireOverdueLots(tx, await lockMember(tx, found.id), at, input.actor);
      if (reward.maxRedemptions !== null) {
        const redeemed = await tx.customerReward.count({
          where: { memberId: member.id, rewardId: reward.id, status: { not: "refunded" } },
        });
        if (redeemed >= reward.maxRedemptions) throw new RewardLimitReachedError(reward.maxRedemptions);
      }
      const shop = await tx.shop.findUniqueOrThrow({ where: { id: input.shopId }, select: { currencyCode: true } });
      const { cost, valueMinor } = priceOf(reward, input.pointsCenti, currencyExponent(shop.currencyCode));
      if (member.availableCenti < cost) {
        throw new InsufficientPointsError(member.availableCenti, cost, {
          available: formatPoints(member.availableCenti),
          required: formatPoints(cost),
        });
      }
      const { vipTier: _tier, ...snapshot } = reward;
      const customerReward = await tx.customerReward.create({
        data: {
          shopId: input.shopId,
          memberId: member.id,
          rewardId: reward.id,
          rewardSnapshot: JSON.stringify(snapshot, (_key, value: unknown) =>
            typeof value === "bigint" ? value.toString() : value,
          ),
          pointsSpentCenti: cost,
          valueMinor,
          discountCode: input.discountCode ?? null,
          status: input.initialStatus ?? "active",
          expiresAt: reward.expiryDays ? addDays(at, reward.expiryDays) : null,
          createdAt: at,
        },
      });
      await debit(tx, member, cost, { kind: "spend", actor: input.actor, at, customerRewardId: customerReward.id });
      const payload = {
        memberId: member.id,
        shopifyCustomerId: member.shopifyCustomerId,
        customerRewardId: customerReward.id,
        rewardId: reward.id,
        rewardName: reward.name,
        points: formatPoints(cost),
        discountCode: customerReward.discountCode,
      };
      if (customerReward.status === "active")
        await recordRedemption(tx, input.shopId, input.actor, payload, reward.name);
      else {
        await recordSideEffects(tx, {
          shopId: input.shopId,
          memberId: member.id,
          activity: {
            type: "reward_reserved",
            message: `Reserved ${formatPoints(cost)} points for "${reward.name}" while its discount is created`,
            actor: input.actor,
            data: payload,
          },
          events: [{ topic: "member.sync", payload: { memberId: member.id } }],
        });
      }
      return { ...customerReward, rewardName: reward.name, discountType: reward.discountType };
    },
  );
}

async function recordRedemption(
  tx: Tx,
  shopId: string,
  actor: string,
  payload: { memberId: string; points: string },
  rewardName: string,
) {
  await recordSideEffects(tx, {
    shopId,
    memberId: payload.memberId,
    activity: {
      type: "reward_redeemed",
      message: `Redeemed "${rewardName}" for ${payload.points} points`,
      actor,
      data: payload,
    },
    events: [
      { topic: "points.redeemed", payload },
      { topic: "member.sync", payload: { memberId: payload.memberId } },
    ],
  });
}

/**
 * Completes a reserved purchase once its discount exists in Shopify: the reward becomes active with
 * its code, and the redemption is recorded (activity, points.redeemed). Only a pending reward can.
 */
export async function activateReservedReward(
  db: Database,
  input: {
    shopId: string;
    customerRewardId: string;
    discountCode: string | null;
    shopifyDiscountId: string | null;
    actor: string;
  },
) {
  return inTransaction(db, async (tx) => {
    const { count } = await tx.customerReward.updateMany({
      where: { id: input.customerRewardId, shopId: input.shopId, status: "pending" },
      data: { status: "active", discountCode: input.discountCode, shopifyDiscountId: input.shopifyDiscountId },
    });
    const reward = await tx.customerReward.findFirst({
      where: { id: input.customerRewardId, shopId: input.shopId },
      include: {
        reward: { select: { name: true, discountType: true } },
        member: { select: { shopifyCustomerId: true } },
      },
    });
    if (!reward) throw new LedgerInvariantError(`reserved reward ${input.customerRewardId} is gone`);
    if (count === 1) {
      await recordRedemption(
        tx,
        input.shopId,
        input.actor,
        {
          memberId: reward.memberId,
          shopifyCustomerId: reward.member.shopifyCustomerId,
          customerRewardId: reward.id,
          rewardId: reward.rewardId,
          rewardName: reward.reward.name,
          points: formatPoints(reward.pointsSpentCenti),
          discountCode: reward.discountCode,
        } as { memberId: string; points: string },
        reward.reward.name,
      );
    }
    return { ...reward, rewardName: reward.reward.name, discountType: reward.reward.discountType };
  });
}

export interface AdjustmentInput {
  shopId: string;
  identifier: string;
  /** Signed, non-zero, centipoints. */
  deltaCenti: bigint;
  note?: string | null;
  /** Positive adjustments count towards lifetime points (and tiers) unless told otherwise. */
  updateLifetime?: boolean;
  source?: "manual" | "api";
  /**
   * Whether the member should be emailed about it (Mage's send_email): recorded in the adjustment's
   * activity data and outbox event payload, where the email integrations read it. Left out when unset.
   */
  sendEmail?: boolean;
  actor: string;
  idempotencyKey?: string | null;
  at?: Date;
}

/**
 * A manual or API adjustment (Mage's POST /customers/{id}/points, Appstle's add/remove-points):
 * positive ones become a lot, negative ones are spent FIFO; the balance never goes below zero
 * (a larger deduction takes what there is). Returns the balance before and after.
 */
export async function adjustPoints(db: Database, input: AdjustmentInput) {
  if (input.deltaCenti === 0n) throw new InvalidAdjustmentError("An adjustment must be a non-zero number of points");
  const at = input.at ?? new Date();
  const { idempotencyKey, at: _at, ...request } = input;
  return ledgerOperation(
    db,
    { shopId: input.shopId, operation: "adjust_points", key: idempotencyKey, input: request },
    async (tx) => {
      const found = await requireMember(tx, input.shopId, input.identifier);
      requireActive(found);
      const member = await expireOverdueLots(tx, await lockMember(tx, found.id), at, input.actor);
      const before = member.availableCenti;
      let after: LockedMember;
      if (input.deltaCenti > 0n) {
        const credited = await creditLot(tx, member, {
          source: input.source ?? "manual",
          basePointsCenti: input.deltaCenti,
          multiplierBp: 10_000,
          approvalDays: 0,
          countsForLifetime: input.updateLifetime ?? true,
          note: input.note ?? null,
          actor: input.actor,
          at,
          activity: {
            type: "points_adjusted",
            message: (points) => `Added ${points} points${input.note ? `: ${input.note}` : ""}`,
          },
          ...(input.sendEmail === undefined ? {} : { details: { sendEmail: input.sendEmail } }),
        });
        after = credited.member;
      } else {
        const take = -input.deltaCenti < before ? -input.deltaCenti : before;
        after = member;
        if (take > 0n)
          ({ member: after } = await debit(tx, member, take, {
            kind: "adjust",
            actor: input.actor,
            at,
            note: input.note ?? null,
          }));
        const payload = {
          memberId: member.id,
          shopifyCustomerId: member.shopifyCustomerId,
          points: formatPoints(-take),
          ...(input.sendEmail === undefined ? {} : { sendEmail: input.sendEmail }),
        };
        await recordSideEffects(tx, {
          shopId: input.shopId,
          memberId: member.id,
          activity: {
            type: "points_adjusted",
            message: `Removed ${formatPoints(take)} points${take < -input.deltaCenti ? ` (of ${formatPoints(-input.deltaCenti)} asked: the balance stops at 0)` : ""}${input.note ? `: ${input.note}` : ""}`,
            actor: input.actor,
            data: payload,
          },
          events:
            take > 0n
              ? [
                  { topic: "points.adjusted", payload },
                  { topic: "member.sync", payload: { memberId: member.id } },
                ]
              : [],
        });
      }
      return { memberId: member.id, pointsBeforeCenti: before, pointsAfterCenti: after.availableCenti };
    },
  );
}
