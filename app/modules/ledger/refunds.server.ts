import type { Database } from "~/db.server";

import { applyBalanceChange, lockMember } from "./balances.server";
import { creditLot } from "./earn.server";
import { CustomerRewardNotFoundError, OrderNotFoundError, RewardNotRefundableError } from "./errors";
import { expireOverdueLots } from "./expiry.server";
import { takeFifo, takeFromLot } from "./lots.server";
import { formatPoints, proportionalReversal } from "./math";
import { recordSideEffects } from "./records.server";
import { recomputeMemberTier } from "./tiers.server";
import { ledgerOperation } from "./transaction.server";

/**
 * Refunds a purchased reward: its points go back into the lots that paid for it while those are
 * still live, and arrive as a new lot (with a fresh expiry) for the part whose lots have expired
 * meanwhile (docs/decisions/0005-refunds-and-reversals.md). The reward becomes refunded.
 */
export function refundCustomerReward(
  db: Database,
  input: { shopId: string; customerRewardId: string; actor: string; idempotencyKey?: string | null; at?: Date },
) {
  return returnRewardPoints(db, input, REFUND);
}

/**
 * Undoes a reserved purchase whose discount could not be created (Shopify unreachable): the points
 * go back exactly as for a refund, and the purchase is marked failed, not refunded.
 */
export function cancelReservedReward(
  db: Database,
  input: { shopId: string; customerRewardId: string; actor: string; reason: string; at?: Date },
) {
  return returnRewardPoints(db, input, {
    from: "pending",
    to: "failed",
    operation: "cancel_reward",
    activityType: "reward_purchase_failed",
    message: (points) => `Purchase failed (${input.reason}): ${points} points returned`,
    topic: null,
  });
}

/**
 * Expires an unused reward (its expiresAt has passed) and gives its points back, for shops whose
 * returnPointsOnRewardExpiry is on: the points go back exactly as for a refund, the reward becomes
 * expired, and every ledger entry says why. Throws RewardNotRefundableError when it is no longer
 * active (used, refunded, or expired by another worker).
 */
export function expireCustomerRewardWithReturn(
  db: Database,
  input: { shopId: string; customerRewardId: string; actor: string; at?: Date },
) {
  return returnRewardPoints(db, input, {
    from: "active",
    to: "expired",
    operation: "expire_reward",
    activityType: "reward_expired",
    message: (points) => `Reward expired unused: ${points} points returned`,
    topic: null,
    reason: "reward expired unused",
    stampRefundedAt: false,
  });
}

interface ReturnMode {
  /** Why the points come back, written on every ledger entry (a refund when not given). */
  reason?: string;
  /** Whether refundedAt records the time (not for an expiry). */
  stampRefundedAt?: boolean;
  from: string;
  to: string;
  operation: string;
  activityType: string;
  message: (points: string) => string;
  topic: "reward.refunded" | null;
}

const REFUND: ReturnMode = {
  from: "active",
  to: "refunded",
  operation: "refund_reward",
  activityType: "reward_refunded",
  message: (points) => `Reward refunded: ${points} points back`,
  topic: "reward.refunded",
};

async function returnRewardPoints(
  db: Database,
  input: { shopId: string; customerRewardId: string; actor: string; idempotencyKey?: string | null; at?: Date },
  mode: ReturnMode,
) {
  const at = input.at ?? new Date();
  const { idempotencyKey, at: _at, ...request } = input;
  return ledgerOperation(
    db,
    { shopId: input.shopId, operation: mode.operation, key: idempotencyKey, input: request },
    async (tx) => {
      const known = await tx.customerReward.findFirst({ where: { id: input.customerRewardId, shopId: input.shopId } });
      if (!known) throw new CustomerRewardNotFoundError(input.customerRewardId);
      let member = await lockMember(tx, known.memberId);
      const { count } = await tx.customerReward.updateMany({
        where: { id: known.id, status: mode.from },
        data: { status: mode.to, ...(mode.stampRefundedAt === false ? {} : { refundedAt: at }) },
      });
      if (count !== 1) {
        const current = await tx.customerReward.findUniqueOrThrow({ where: { id: known.id } });
        throw new RewardNotRefundableError(current.status);
      }
      member = await expireOverdueLots(tx, member, at, input.actor);
      const allocations = await tx.lotAllocation.findMany({
        where: { customerRewardId: known.id },
        include: { lot: true },
      });
      let restored = 0n;
      let reissued = 0n;
      for (const allocation of allocations) {
        const back = allocation.amountCenti - allocation.restoredCenti;
        if (back <= 0n) continue;
        const live =
          allocation.lot.status === "approved" && (allocation.lot.expiresAt === null || allocation.lot.expiresAt > at);
        if (live) {
          await tx.lot.update({ where: { id: allocation.lotId }, data: { remainingCenti: { increment: back } } });
          restored += back;
        } else reissued += back;
        await tx.lotAllocation.update({
          where: { id: allocation.id },
          data: { restoredCenti: allocation.amountCenti },
        });
      }
      if (restored > 0n) {
        ({ member } = await applyBalanceChange(tx, member, {
          kind: "refund",
          available: restored,
          redeemed: -restored,
          customerRewardId: known.id,
          note: `${mode.reason ? `${mode.reason}: ` : ""}points returned to the lots they came from`,
          actor: input.actor,
          at,
        }));
      }
      if (reissued > 0n) {
        ({ member } = await creditLot(tx, member, {
          source: "refund",
          basePointsCenti: reissued,
          multiplierBp: 10_000,
          approvalDays: 0,
          countsForLifetime: false,
          note: mode.reason
            ? `${mode.reason} (reward ${known.id}): its lots had expired`
            : `refund of reward ${known.id}: its lots had expired`,
          actor: input.actor,
          at,
          activity: {
            type: "points_refunded",
            message: (points) => `${points} refunded points arrive as a new lot (the original lots had expired)`,
          },
        }));
        ({ member } = await applyBalanceChange(tx, member, {
          kind: "refund",
          redeemed: -reissued,
          customerRewardId: known.id,
          note: `${mode.reason ? `${mode.reason}: ` : ""}redeemed total corrected for the reissued lot`,
          actor: input.actor,
          at,
        }));
      }
      const payload = {
        memberId: member.id,
        shopifyCustomerId: member.shopifyCustomerId,
        customerRewardId: known.id,
        discountCode: known.discountCode,
        points: formatPoints(known.pointsSpentCenti),
      };
      await recordSideEffects(tx, {
        shopId: input.shopId,
        memberId: member.id,
        activity: {
          type: mode.activityType,
          message: mode.message(formatPoints(known.pointsSpentCenti)),
          actor: input.actor,
          data: payload,
        },
        events: [
          ...(mode.topic ? [{ topic: mode.topic, payload }] : []),
          { topic: "member.sync" as const, payload: { memberId: member.id } },
        ],
      });
      return {
        ...(await tx.customerReward.findUniqueOrThrow({ where: { id: known.id } })),
        restoredCenti: restored,
        reissuedCenti: reissued,
      };
    },
  );
}

/**
 * Reverses what an order earned after a refund (proportionally, by the cumulative refunded amount)
 * or a cancellation (all of it), exact to the centipoint: several partial refunds that add up to the
 * order reverse exactly what it earned. Pending points are cancelled first; spendable points come
 * from the order's own lot, then from the member's other lots; the balance never goes below zero,
 * and what could not be taken back is recorded as a shortfall.
 */
export async function reverseOrderEarnings(
  db: Database,
  input: {
    shopId: string;
    shopifyOrderId: string;
    /** Cumulative refunded amount of the order, in minor units (including this refund). */
    refundedTotalMinor?: bigint;
    cancelled?: boolean;
    actor: string;
    idempotencyKey?: string | null;
    at?: Date;
  },
) {
  const at = input.at ?? new Date();
  const { idempotencyKey, at: _at, ...request } = input;
  return ledgerOperation(
    db,
    { shopId: input.shopId, operation: "reverse_order", key: idempotencyKey, input: request },
    async (tx) => {
      const known = await tx.order.findUnique({
        where: { shopId_shopifyOrderId: { shopId: input.shopId, shopifyOrderId: input.shopifyOrderId } },
      });
      if (!known) throw new OrderNotFoundError(input.shopifyOrderId);
      let member = await expireOverdueLots(tx, await lockMember(tx, known.memberId), at, input.actor);
      const order = await tx.order.findUniqueOrThrow({ where: { id: known.id } });
      const refundedTotal = input.cancelled
        ? order.eligibleMinor
        : (input.refundedTotalMinor ?? 0n) > order.refundedMinor
          ? (input.refundedTotalMinor ?? 0n)
          : order.refundedMinor;
      await tx.order.update({
        where: { id: order.id },
        data: { refundedMinor: refundedTotal, ...(input.cancelled ? { cancelledAt: at } : {}) },
      });
      if (refundedTotal !== order.refundedMinor) {
        member = await tx.customer.update({
          where: { id: member.id },
          data: { lifetimeSpendMinor: { decrement: refundedTotal - order.refundedMinor } },
        });
      }
      const lots = await tx.lot.findMany({
        where: {
          memberId: member.id,
          orderId: input.shopifyOrderId,
          status: { in: ["pending", "approved", "expired"] },
        },
        orderBy: { createdAt: "asc" },
      });
      let reversed = 0n;
      let shortfall = 0n;
      for (const lot of lots) {
        const amount = proportionalReversal({
          earned: lot.amountCenti,
          alreadyReversed: lot.reversedCenti,
          refundedTotalMinor: refundedTotal,
          eligibleMinor: order.eligibleMinor,
        });
        if (amount <= 0n) continue;
        await tx.lot.update({ where: { id: lot.id }, data: { reversedCenti: { increment: amount } } });
        if (lot.status === "pending") {
          const fromPending = amount < lot.remainingCenti ? amount : lot.remainingCenti;
          await tx.lot.update({
            where: { id: lot.id },
            data: {
              remainingCenti: { decrement: fromPending },
              ...(fromPending === lot.remainingCenti ? { status: "rejected" } : {}),
            },
          });
          ({ member } = await applyBalanceChange(tx, member, {
            kind: "reverse",
            pending: -fromPending,
            lotId: lot.id,
            orderId: input.shopifyOrderId,
            actor: input.actor,
            at,
          }));
          reversed += fromPending;
          continue;
        }
        if (lot.status === "expired") {
          // Its points are gone already; only lifetime points still count them.
          ({ member } = await applyBalanceChange(tx, member, {
            kind: "reverse",
            lifetime: -(amount < member.lifetimeCenti ? amount : member.lifetimeCenti),
            lotId: lot.id,
            orderId: input.shopifyOrderId,
            note: "the order's points had expired",
            actor: input.actor,
            at,
          }));
          continue;
        }
        const live = lot.expiresAt === null || lot.expiresAt > at;
        const own = live ? (amount < lot.remainingCenti ? amount : lot.remainingCenti) : 0n;
        if (own > 0n) await takeFromLot(tx, lot.id, own);
        const others =
          own < amount
            ? (await takeFifo(tx, member.id, amount - own, at)).reduce((total, a) => total + a.amount, 0n)
            : 0n;
        const taken = own + others;
        shortfall += amount - taken;
        ({ member } = await applyBalanceChange(tx, member, {
          kind: "reverse",
          available: -taken,
          lifetime: -(amount < member.lifetimeCenti ? amount : member.lifetimeCenti),
          lotId: lot.id,
          orderId: input.shopifyOrderId,
          note: taken < amount ? `${formatPoints(amount - taken)} points had been spent already` : null,
          actor: input.actor,
          at,
        }));
        reversed += taken;
      }
      const payload = {
        memberId: member.id,
        shopifyCustomerId: member.shopifyCustomerId,
        orderId: input.shopifyOrderId,
        points: formatPoints(reversed),
        shortfall: formatPoints(shortfall),
      };
      await recordSideEffects(tx, {
        shopId: input.shopId,
        memberId: member.id,
        activity: {
          type: "points_reversed",
          message: `${formatPoints(reversed)} points reversed for order ${order.orderNumber ?? input.shopifyOrderId} (${input.cancelled ? "cancelled" : "refunded"})${shortfall > 0n ? `; ${formatPoints(shortfall)} had been spent already` : ""}`,
          actor: input.actor,
          data: payload,
        },
        events: [
          { topic: "points.reversed", payload },
          { topic: "member.sync", payload: { memberId: member.id } },
        ],
      });
      await recomputeMemberTier(
        tx,
        member,
        `order ${order.orderNumber ?? input.shopifyOrderId} ${input.cancelled ? "cancelled" : "refunded"}`,
        input.actor,
      );
      return { reversedCenti: reversed, shortfallCenti: shortfall };
    },
  );
}
