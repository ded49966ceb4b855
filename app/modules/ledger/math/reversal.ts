import type { Centipoints } from "./points";
import { divideRounded } from "./rounding";

export interface ProportionalReversalInput {
  /** Centipoints the order earned. */
  earned: Centipoints;
  /** Centipoints already taken back for earlier refunds of this order. */
  alreadyReversed: Centipoints;
  /** Cumulative refunded amount in minor units, including this refund. */
  refundedTotalMinor: bigint;
  /** The amount the order earned on, in minor units. */
  eligibleMinor: bigint;
}

/** Centipoints to take back now so the order's total reversal matches its refunded share of what earned. */
export function proportionalReversal(input: ProportionalReversalInput): Centipoints {
  const { earned, alreadyReversed, refundedTotalMinor, eligibleMinor } = input;
  if (earned < 0n) throw new RangeError(`earned must not be negative, got ${earned}`);
  if (alreadyReversed < 0n || alreadyReversed > earned) {
    throw new RangeError(`alreadyReversed must be between 0 and earned (${earned}), got ${alreadyReversed}`);
  }
  if (refundedTotalMinor < 0n)
    throw new RangeError(`refundedTotalMinor must not be negative, got ${refundedTotalMinor}`);
  if (eligibleMinor < 0n) throw new RangeError(`eligibleMinor must not be negative, got ${eligibleMinor}`);
  const outstanding = earned - alreadyReversed;
  // Nothing to prorate against (points given for an order that had no eligible amount): any refund takes them all.
  if (eligibleMinor === 0n) return outstanding;
  const refunded = refundedTotalMinor < eligibleMinor ? refundedTotalMinor : eligibleMinor;
  // Targeting the cumulative total, rather than rounding each refund's own share, is what makes the
  // steps add up to exactly `earned` once everything is refunded.
  const target = divideRounded(earned * refunded, eligibleMinor, "half_even");
  const now = target - alreadyReversed;
  return now < 0n ? 0n : now > outstanding ? outstanding : now;
}
