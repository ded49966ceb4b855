import type { Database } from "~/db.server";

/** Points as the tests speak them: 150 → 15000n centipoints. */
export const pts = (points: number | string) => {
  const [whole, fraction = ""] = String(points).split(".");
  return (
    BigInt(whole ?? "0") * 100n + BigInt((fraction + "00").slice(0, 2)) * (String(points).startsWith("-") ? -1n : 1n)
  );
};

/**
 * The ledger's invariants for every member of a shop: cached balances equal the sums of the
 * entries; nothing is negative; spendable lots hold exactly the available balance; pending lots hold
 * the pending balance; each entry's "after" balances chain from the previous one; allocations that
 * were not restored add up to the points spent. Returns the problems found (none: []).
 */
export async function ledgerProblems(db: Database, shopId: string, memberId?: string): Promise<string[]> {
  const problems: string[] = [];
  const members = await db.customer.findMany({ where: { shopId, ...(memberId ? { id: memberId } : {}) } });
  for (const member of members) {
    const entries = await db.ledgerEntry.findMany({ where: { memberId: member.id }, orderBy: { sequence: "asc" } });
    const sum = (pick: (e: (typeof entries)[number]) => bigint) =>
      entries.reduce((total, entry) => total + pick(entry), 0n);
    const expect = (name: string, actual: bigint, wanted: bigint) => {
      if (actual !== wanted) problems.push(`${member.email}: ${name} is ${actual}, expected ${wanted}`);
    };
    expect(
      "available",
      member.availableCenti,
      sum((e) => e.availableDeltaCenti),
    );
    expect(
      "pending",
      member.pendingCenti,
      sum((e) => e.pendingDeltaCenti),
    );
    expect(
      "lifetime",
      member.lifetimeCenti,
      sum((e) => e.lifetimeDeltaCenti),
    );
    expect(
      "redeemed",
      member.redeemedCenti,
      sum((e) => e.redeemedDeltaCenti),
    );
    for (const [name, value] of Object.entries({
      available: member.availableCenti,
      pending: member.pendingCenti,
      lifetime: member.lifetimeCenti,
      redeemed: member.redeemedCenti,
    })) {
      if (value < 0n) problems.push(`${member.email}: ${name} is negative (${value})`);
    }
    const lots = await db.lot.findMany({ where: { memberId: member.id } });
    for (const lot of lots) {
      if (lot.remainingCenti < 0n || lot.remainingCenti > lot.amountCenti) {
        problems.push(`${member.email}: lot ${lot.id} has ${lot.remainingCenti} left of ${lot.amountCenti}`);
      }
    }
    const live = lots.filter((lot) => lot.status === "approved").reduce((total, lot) => total + lot.remainingCenti, 0n);
    expect("approved lots' remaining", live, member.availableCenti);
    const pending = lots
      .filter((lot) => lot.status === "pending")
      .reduce((total, lot) => total + lot.remainingCenti, 0n);
    expect("pending lots' remaining", pending, member.pendingCenti);
    if (entries.some((entry, i) => entry.sequence !== i + 1)) problems.push(`${member.email}: entry sequence has gaps`);
    // The entries chain: each records the balances after it.
    let available = 0n;
    let pendingRunning = 0n;
    for (const entry of entries) {
      available += entry.availableDeltaCenti;
      pendingRunning += entry.pendingDeltaCenti;
      if (entry.availableAfterCenti !== available || entry.pendingAfterCenti !== pendingRunning) {
        problems.push(`${member.email}: entry ${entry.id} (${entry.kind}) records balances that do not chain`);
        break;
      }
    }
    const rewards = await db.customerReward.findMany({ where: { memberId: member.id } });
    // An expired reward keeps its points spent unless the shop returns them on expiry (app/jobs/).
    let returnedOnExpiry = 0n;
    for (const reward of rewards) {
      const allocations = await db.lotAllocation.findMany({ where: { customerRewardId: reward.id } });
      const allocated = allocations.reduce((total, a) => total + a.amountCenti, 0n);
      if (allocated !== reward.pointsSpentCenti) {
        problems.push(
          `${member.email}: reward ${reward.id} cost ${reward.pointsSpentCenti} but its lots paid ${allocated}`,
        );
      }
      const outstanding = allocations.reduce((total, a) => total + a.amountCenti - a.restoredCenti, 0n);
      if (reward.status === "expired") returnedOnExpiry += reward.pointsSpentCenti - outstanding;
      if ((reward.status === "refunded" || reward.status === "failed") && outstanding !== 0n)
        problems.push(`${member.email}: refunded reward ${reward.id} still holds ${outstanding}`);
    }
    const spent = rewards
      .filter((r) => r.status !== "refunded" && r.status !== "failed")
      .reduce((total, r) => total + r.pointsSpentCenti, 0n);
    expect("redeemed vs rewards kept", member.redeemedCenti, spent - returnedOnExpiry);
  }
  return problems;
}
