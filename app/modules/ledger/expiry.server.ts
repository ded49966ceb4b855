import type { Database } from "~/db.server";

import { applyBalanceChange, lockMember, type LockedMember } from "./balances.server";
import { expiryPolicyOf } from "./lots.server";
import { addMonths, formatPoints } from "./math";
import { recordSideEffects } from "./records.server";
import { inTransaction, type Tx } from "./transaction.server";

/**
 * Expires, for a locked member, what is due: approved lots past their expiry date, and under the
 * inactivity policy every lot once the member has been inactive too long. One entry per lot.
 */
export async function expireOverdueLots(tx: Tx, member: LockedMember, at: Date, actor: string): Promise<LockedMember> {
  const shop = await tx.shop.findUniqueOrThrow({
    where: { id: member.shopId },
    select: { expiryPolicy: true, expiryMonths: true },
  });
  const policy = expiryPolicyOf(shop);
  const inactive =
    policy.kind === "after_inactivity" &&
    member.lastActivityAt !== null &&
    addMonths(member.lastActivityAt, policy.months) <= at;
  const lots = await tx.lot.findMany({
    where: {
      memberId: member.id,
      status: "approved",
      remainingCenti: { gt: 0n },
      ...(inactive ? {} : { expiresAt: { lte: at } }),
    },
    orderBy: [{ expiresAt: "asc" }, { createdAt: "asc" }],
  });
  let current = member;
  let total = 0n;
  for (const lot of lots) {
    const { count } = await tx.lot.updateMany({
      where: { id: lot.id, status: "approved", remainingCenti: lot.remainingCenti },
      data: { status: "expired", remainingCenti: 0n },
    });
    if (count !== 1) continue;
    ({ member: current } = await applyBalanceChange(tx, current, {
      kind: "expire",
      available: -lot.remainingCenti,
      lotId: lot.id,
      note: inactive ? "inactivity" : "expiry date reached",
      actor,
      at,
    }));
    total += lot.remainingCenti;
  }
  if (total > 0n) {
    const payload = { memberId: member.id, shopifyCustomerId: member.shopifyCustomerId, points: formatPoints(total) };
    await recordSideEffects(tx, {
      shopId: member.shopId,
      memberId: member.id,
      activity: {
        type: "points_expired",
        message: `${formatPoints(total)} points expired${inactive ? " after inactivity" : ""}`,
        actor,
        data: payload,
      },
      events: [
        { topic: "points.expired", payload },
        { topic: "member.sync", payload: { memberId: member.id } },
      ],
    });
  }
  return current;
}

/** The scheduled expiry job for one shop: every member with something due. Returns points expired. */
export async function expirePoints(
  db: Database,
  input: {
    shopId: string;
    at?: Date;
    actor?: string;
    /** At most this many members of each kind (a job's batch). */ limit?: number;
  },
) {
  const at = input.at ?? new Date();
  const actor = input.actor ?? "system";
  const shop = await db.shop.findUniqueOrThrow({ where: { id: input.shopId } });
  const policy = expiryPolicyOf(shop);
  const dated = await db.lot.findMany({
    where: { shopId: input.shopId, status: "approved", remainingCenti: { gt: 0n }, expiresAt: { lte: at } },
    select: { memberId: true },
    distinct: ["memberId"],
    orderBy: { memberId: "asc" },
    ...(input.limit ? { take: input.limit } : {}),
  });
  const idle =
    policy.kind === "after_inactivity"
      ? await db.customer.findMany({
          where: {
            shopId: input.shopId,
            availableCenti: { gt: 0n },
            lastActivityAt: { lte: addMonths(at, -policy.months) },
          },
          select: { id: true },
          orderBy: { id: "asc" },
          ...(input.limit ? { take: input.limit } : {}),
        })
      : [];
  const memberIds = [...new Set([...dated.map((lot) => lot.memberId), ...idle.map((member) => member.id)])];
  let expired = 0n;
  for (const memberId of memberIds) {
    expired += await inTransaction(db, async (tx) => {
      const member = await lockMember(tx, memberId);
      const after = await expireOverdueLots(tx, member, at, actor);
      return member.availableCenti - after.availableCenti;
    });
  }
  return { members: memberIds.length, expiredCenti: expired };
}
