import { addDays, allocateFifo, lotExpiresAt, type ExpiryPolicy } from "./math";
import { LedgerInvariantError } from "./errors";
import type { Tx } from "./transaction.server";

/** The shop's points-expiry policy as the pure code reads it. */
export function expiryPolicyOf(shop: { expiryPolicy: string; expiryMonths: number | null }): ExpiryPolicy {
  if ((shop.expiryPolicy === "after_earning" || shop.expiryPolicy === "after_inactivity") && shop.expiryMonths) {
    return { kind: shop.expiryPolicy, months: shop.expiryMonths };
  }
  return { kind: "none" };
}

export async function shopPolicy(tx: Tx, shopId: string) {
  const shop = await tx.shop.findUniqueOrThrow({
    where: { id: shopId },
    select: { expiryPolicy: true, expiryMonths: true, currencyCode: true },
  });
  return { policy: expiryPolicyOf(shop), currencyCode: shop.currencyCode };
}

/** When a lot given at `givenAt` expires under the policy (null: never, or judged by inactivity). */
export const expiryFor = (policy: ExpiryPolicy, givenAt: Date) => lotExpiresAt(policy, givenAt);

/** When points that must wait `approvalDays` become spendable. */
export const dueDateFor = (approvalDays: number, at: Date) => (approvalDays > 0 ? addDays(at, approvalDays) : null);

/**
 * The member's spendable lots: approved, something left, not past their expiry. These are what FIFO
 * spends, and together they always hold exactly the member's available balance.
 */
export function spendableLots(tx: Tx, memberId: string, at: Date) {
  return tx.lot.findMany({
    where: {
      memberId,
      status: "approved",
      remainingCenti: { gt: 0n },
      OR: [{ expiresAt: null }, { expiresAt: { gt: at } }],
    },
    select: { id: true, remainingCenti: true, expiresAt: true, createdAt: true },
  });
}

/** Takes `amount` from a lot, only if it still has it (a conditional update, never below zero). */
export async function takeFromLot(tx: Tx, lotId: string, amount: bigint) {
  const { count } = await tx.lot.updateMany({
    where: { id: lotId, remainingCenti: { gte: amount } },
    data: { remainingCenti: { decrement: amount } },
  });
  return count === 1;
}

/**
 * Takes up to `amount` from a locked member's spendable lots, first-in-first-out (soonest expiry
 * first). Returns the allocations made; their sum is less than `amount` only when the lots ran out.
 */
export async function takeFifo(tx: Tx, memberId: string, amount: bigint, at: Date) {
  const lots = await spendableLots(tx, memberId, at);
  const { allocations } = allocateFifo(
    lots.map((lot) => ({
      id: lot.id,
      remaining: lot.remainingCenti,
      expiresAt: lot.expiresAt,
      createdAt: lot.createdAt,
    })),
    amount,
  );
  for (const allocation of allocations) {
    if (!(await takeFromLot(tx, allocation.lotId, allocation.amount))) {
      throw new LedgerInvariantError(`lot ${allocation.lotId} changed under a locked member`);
    }
  }
  return allocations;
}
