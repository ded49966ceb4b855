import type { Database } from "~/db.server";

import { applyBalanceChange, lockMember, type LockedMember } from "./balances.server";
import { LotNotFoundError } from "./errors";
import { expiryFor, shopPolicy } from "./lots.server";
import { formatPoints } from "./math";
import { recordSideEffects } from "./records.server";
import { recomputeMemberTier } from "./tiers.server";
import { inTransaction, type Tx } from "./transaction.server";

/** Approves one pending lot of a locked member: its points become spendable and count for tiers. */
async function approveLot(tx: Tx, member: LockedMember, lotId: string, at: Date, actor: string) {
  const lot = await tx.lot.findFirst({ where: { id: lotId, memberId: member.id, status: "pending" } });
  if (!lot) return member;
  const { policy } = await shopPolicy(tx, member.shopId);
  await tx.lot.update({
    where: { id: lot.id },
    data: { status: "approved", givenAt: at, expiresAt: expiryFor(policy, at) },
  });
  const { member: after } = await applyBalanceChange(tx, member, {
    kind: "approve",
    pending: -lot.remainingCenti,
    available: lot.remainingCenti,
    lifetime: lot.remainingCenti,
    lotId: lot.id,
    orderId: lot.orderId,
    actor,
    at,
  });
  const payload = {
    memberId: member.id,
    shopifyCustomerId: member.shopifyCustomerId,
    lotId: lot.id,
    points: formatPoints(lot.remainingCenti),
    status: "approved",
  };
  await recordSideEffects(tx, {
    shopId: member.shopId,
    memberId: member.id,
    activity: {
      type: "points_approved",
      message: `${formatPoints(lot.remainingCenti)} pending points approved`,
      actor,
      data: payload,
    },
    events: [
      { topic: "points.earned", payload },
      { topic: "member.sync", payload: { memberId: member.id } },
    ],
  });
  return recomputeMemberTier(tx, after, "pending points approved", actor);
}

async function approveForMember(db: Database, memberId: string, lotIds: string[], at: Date, actor: string) {
  return inTransaction(db, async (tx) => {
    let member = await lockMember(tx, memberId);
    for (const lotId of lotIds) member = await approveLot(tx, member, lotId, at, actor);
    return lotIds.length;
  });
}

const groupByMember = (lots: { id: string; memberId: string }[]) => {
  const groups = new Map<string, string[]>();
  for (const lot of lots) groups.set(lot.memberId, [...(groups.get(lot.memberId) ?? []), lot.id]);
  return groups;
};

/** The scheduled approval job: pending lots whose approval time has passed. Returns how many. */
export async function approveDueLots(
  db: Database,
  input: { shopId: string; at?: Date; actor?: string; /** At most this many lots (a job's batch). */ limit?: number },
) {
  const at = input.at ?? new Date();
  const due = await db.lot.findMany({
    where: { shopId: input.shopId, status: "pending", dueAt: { lte: at } },
    select: { id: true, memberId: true },
    orderBy: [{ dueAt: "asc" }, { id: "asc" }],
    ...(input.limit ? { take: input.limit } : {}),
  });
  let approved = 0;
  for (const [memberId, lotIds] of groupByMember(due))
    approved += await approveForMember(db, memberId, lotIds, at, input.actor ?? "system");
  return approved;
}

/**
 * Approves pending lots before their time (Appstle's approve-pending-transactions): all of the
 * shop's, or the listed ones (each must be pending and belong to the shop).
 */
export async function approvePendingLots(
  db: Database,
  input: { shopId: string; lotIds?: string[]; actor: string; at?: Date },
) {
  const at = input.at ?? new Date();
  const pending = await db.lot.findMany({
    where: { shopId: input.shopId, status: "pending", ...(input.lotIds ? { id: { in: input.lotIds } } : {}) },
    select: { id: true, memberId: true },
  });
  const missing = (input.lotIds ?? []).find((id) => !pending.some((lot) => lot.id === id));
  if (missing) throw new LotNotFoundError(missing);
  let approved = 0;
  for (const [memberId, lotIds] of groupByMember(pending))
    approved += await approveForMember(db, memberId, lotIds, at, input.actor);
  return approved;
}

/** Rejects a pending lot (e.g. a returned order during its approval time): its points never arrive. */
export async function rejectPendingLot(
  db: Database,
  input: { shopId: string; lotId: string; actor: string; note?: string; at?: Date },
) {
  const at = input.at ?? new Date();
  const lot = await db.lot.findFirst({ where: { id: input.lotId, shopId: input.shopId, status: "pending" } });
  if (!lot) throw new LotNotFoundError(input.lotId);
  return inTransaction(db, async (tx) => {
    const member = await lockMember(tx, lot.memberId);
    const { count } = await tx.lot.updateMany({
      where: { id: lot.id, status: "pending" },
      data: { status: "rejected" },
    });
    if (count !== 1) throw new LotNotFoundError(input.lotId);
    // Read again under the member's lock: a reversal may have taken part of it meanwhile.
    const current = await tx.lot.findUniqueOrThrow({ where: { id: lot.id } });
    const { member: after } = await applyBalanceChange(tx, member, {
      kind: "reject",
      pending: -current.remainingCenti,
      lotId: lot.id,
      orderId: lot.orderId,
      note: input.note ?? null,
      actor: input.actor,
      at,
    });
    await recordSideEffects(tx, {
      shopId: input.shopId,
      memberId: member.id,
      activity: {
        type: "points_rejected",
        message: `${formatPoints(current.remainingCenti)} pending points rejected${input.note ? `: ${input.note}` : ""}`,
        actor: input.actor,
      },
      events: [{ topic: "member.sync", payload: { memberId: member.id } }],
    });
    return after;
  });
}
