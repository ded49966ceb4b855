import type { Database } from "~/db.server";

import type { LockedMember } from "./balances.server";
import { evaluateTier, tierMove } from "./math";
import { recordSideEffects } from "./records.server";
import { inTransaction, type Tx } from "./transaction.server";

export type TierBasis = "lifetime_points" | "lifetime_spend";

/** The standing a tier threshold is compared with, by the shop's basis. */
export const standingOf = (member: { lifetimeCenti: bigint; lifetimeSpendMinor: bigint }, basis: string) =>
  basis === "lifetime_spend" ? member.lifetimeSpendMinor : member.lifetimeCenti;

/**
 * Puts a locked member on the tier their standing earns, up or down. A move is a TierChange row,
 * an activity line and a customer.tier_upgrade / tier_downgrade event.
 */
export async function recomputeMemberTier(tx: Tx, member: LockedMember, reason: string, actor: string) {
  const shop = await tx.shop.findUniqueOrThrow({ where: { id: member.shopId }, select: { tierBasis: true } });
  const tiers = await tx.vipTier.findMany({ where: { shopId: member.shopId } });
  const target = evaluateTier(tiers, standingOf(member, shop.tierBasis));
  const targetId = target?.id ?? null;
  if (targetId === member.vipTierId) return member;
  const from = tiers.find((tier) => tier.id === member.vipTierId) ?? null;
  const direction = tierMove(from?.threshold ?? null, target?.threshold ?? null);
  if (direction === "none") return member;
  const updated = await tx.customer.update({ where: { id: member.id }, data: { vipTierId: targetId } });
  await tx.tierChange.create({
    data: {
      shopId: member.shopId,
      memberId: member.id,
      fromTierId: from?.id ?? null,
      toTierId: targetId,
      direction,
      reason,
    },
  });
  const payload = {
    memberId: member.id,
    shopifyCustomerId: member.shopifyCustomerId,
    fromTier: from ? { id: from.id, name: from.name } : null,
    toTier: target ? { id: target.id, name: target.name } : null,
  };
  await recordSideEffects(tx, {
    shopId: member.shopId,
    memberId: member.id,
    activity: {
      type: `tier_${direction}`,
      message: `${direction === "upgrade" ? "Moved up" : "Moved down"} to ${target?.name ?? "no tier"} (from ${from?.name ?? "no tier"})`,
      actor,
      data: payload,
    },
    events: [{ topic: direction === "upgrade" ? "customer.tier_upgrade" : "customer.tier_downgrade", payload }],
  });
  return updated;
}

/**
 * Changes what tiers measure (lifetime points ↔ lifetime spend) after launch: standings are
 * recomputed from the ledger and orders, never wiped; every member then lands on the tier the new
 * basis gives them. Returns how many moved.
 */
export async function changeTierBasis(db: Database, input: { shopId: string; basis: TierBasis; actor: string }) {
  await db.shop.update({ where: { id: input.shopId }, data: { tierBasis: input.basis } });
  return recomputeAllTiers(db, {
    shopId: input.shopId,
    actor: input.actor,
    reason: `tier basis changed to ${input.basis}`,
  });
}

/** Re-derives every member's standing from the ledger and orders, and their tier from it. */
export async function recomputeAllTiers(db: Database, input: { shopId: string; actor: string; reason: string }) {
  let moved = 0;
  let cursor: string | undefined;
  for (;;) {
    const batch = await db.customer.findMany({
      where: { shopId: input.shopId },
      select: { id: true },
      orderBy: { id: "asc" },
      take: 200,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (batch.length === 0) return moved;
    for (const { id } of batch) {
      await inTransaction(db, async (tx) => {
        const locked = await tx.customer.update({ where: { id }, data: { ledgerVersion: { increment: 1 } } });
        const lifetime = await tx.ledgerEntry.aggregate({
          where: { memberId: id },
          _sum: { lifetimeDeltaCenti: true },
        });
        const spend = await tx.order.aggregate({
          where: { memberId: id },
          _sum: { eligibleMinor: true, refundedMinor: true },
        });
        const member = await tx.customer.update({
          where: { id },
          data: {
            lifetimeCenti: lifetime._sum.lifetimeDeltaCenti ?? 0n,
            lifetimeSpendMinor: (spend._sum.eligibleMinor ?? 0n) - (spend._sum.refundedMinor ?? 0n),
          },
        });
        const after = await recomputeMemberTier(tx, { ...locked, ...member }, input.reason, input.actor);
        if (after.vipTierId !== locked.vipTierId) moved++;
      });
    }
    cursor = batch.at(-1)?.id;
  }
}
