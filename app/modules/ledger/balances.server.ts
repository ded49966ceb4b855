import { LedgerInvariantError } from "./errors";
import type { Tx } from "./transaction.server";

/**
 * Takes the member's row for this transaction: an UPDATE (a row lock on PostgreSQL, the write lock
 * on SQLite) that every ledger write does first, so that writers to one member run one after the
 * other and each reads the balances the previous one left. Returns those balances.
 */
export async function lockMember(tx: Tx, memberId: string) {
  return tx.customer.update({ where: { id: memberId }, data: { ledgerVersion: { increment: 1 } } });
}

export type LockedMember = Awaited<ReturnType<typeof lockMember>>;

export interface BalanceChange {
  kind: "earn" | "approve" | "reject" | "spend" | "refund" | "reverse" | "adjust" | "expire" | "import";
  available?: bigint;
  pending?: bigint;
  lifetime?: bigint;
  redeemed?: bigint;
  lotId?: string | null;
  customerRewardId?: string | null;
  orderId?: string | null;
  note?: string | null;
  actor: string;
  at: Date;
}

/**
 * Applies one balance change to a locked member: an immutable ledger entry with the balances after
 * it, and the same deltas on the member's cached balances. Balances never go below zero. What the
 * member did (earn, spend, refund, adjust, import) counts as activity for inactivity expiry.
 */
export async function applyBalanceChange(tx: Tx, member: LockedMember, change: BalanceChange) {
  const available = change.available ?? 0n;
  const pending = change.pending ?? 0n;
  const lifetime = change.lifetime ?? 0n;
  const redeemed = change.redeemed ?? 0n;
  const after = {
    availableCenti: member.availableCenti + available,
    pendingCenti: member.pendingCenti + pending,
    lifetimeCenti: member.lifetimeCenti + lifetime,
    redeemedCenti: member.redeemedCenti + redeemed,
  };
  for (const [name, value] of Object.entries(after)) {
    if (value < 0n) throw new LedgerInvariantError(`${name} of member ${member.id} would become ${value}`);
  }
  const entry = await tx.ledgerEntry.create({
    data: {
      shopId: member.shopId,
      memberId: member.id,
      sequence: member.entryCount + 1,
      kind: change.kind,
      availableDeltaCenti: available,
      pendingDeltaCenti: pending,
      lifetimeDeltaCenti: lifetime,
      redeemedDeltaCenti: redeemed,
      availableAfterCenti: after.availableCenti,
      pendingAfterCenti: after.pendingCenti,
      lotId: change.lotId ?? null,
      customerRewardId: change.customerRewardId ?? null,
      orderId: change.orderId ?? null,
      note: change.note ?? null,
      actor: change.actor,
      createdAt: change.at,
    },
  });
  const byMember = ["earn", "spend", "refund", "adjust", "import"].includes(change.kind);
  const updated = await tx.customer.update({
    where: { id: member.id },
    data: { ...after, entryCount: member.entryCount + 1, ...(byMember ? { lastActivityAt: change.at } : {}) },
  });
  return { entry, member: updated };
}
