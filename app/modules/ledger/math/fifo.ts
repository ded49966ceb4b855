/**
 * Spending order: points that would expire soonest go first, so a member never loses points to
 * expiry while holding younger ones; ties are broken down to the id so two runs (or two servers)
 * always spend the same lots.
 */

export interface SpendableLot {
  id: string;
  remaining: bigint;
  expiresAt: Date | null;
  createdAt: Date;
}

export interface FifoAllocation {
  lotId: string;
  amount: bigint;
}

export interface FifoResult {
  allocations: FifoAllocation[];
  /** What the lots could not cover; 0n when fully covered. */
  shortfall: bigint;
}

function timeOf(date: Date, field: string, id: string): number {
  const time = date.getTime();
  // NaN compares false both ways and would make the order depend on the sort algorithm.
  if (Number.isNaN(time)) throw new RangeError(`Lot ${id} has an invalid ${field}`);
  return time;
}

function compareLots(a: SpendableLot, b: SpendableLot): number {
  if (a.expiresAt !== b.expiresAt) {
    if (a.expiresAt === null) return 1;
    if (b.expiresAt === null) return -1;
    const byExpiry = timeOf(a.expiresAt, "expiresAt", a.id) - timeOf(b.expiresAt, "expiresAt", b.id);
    if (byExpiry !== 0) return byExpiry;
  }
  const byAge = timeOf(a.createdAt, "createdAt", a.id) - timeOf(b.createdAt, "createdAt", b.id);
  if (byAge !== 0) return byAge;
  // Code-unit order, not localeCompare: the result must not depend on the server's locale.
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The lots in spending order (a new array): soonest expiry, then never-expiring, then oldest, then id. */
export function orderLotsForSpending<T extends SpendableLot>(lots: readonly T[]): T[] {
  return [...lots].sort(compareLots);
}

/** Splits `amount` across the lots in spending order; what they cannot cover is the shortfall. */
export function allocateFifo(lots: readonly SpendableLot[], amount: bigint): FifoResult {
  for (const lot of lots) {
    if (lot.remaining < 0n) throw new RangeError(`Lot ${lot.id} has a negative remaining amount ${lot.remaining}`);
  }
  const allocations: FifoAllocation[] = [];
  let left = amount > 0n ? amount : 0n;
  for (const lot of orderLotsForSpending(lots)) {
    if (left === 0n) break;
    if (lot.remaining === 0n) continue;
    const take = lot.remaining < left ? lot.remaining : left;
    allocations.push({ lotId: lot.id, amount: take });
    left -= take;
  }
  return { allocations, shortfall: left };
}
