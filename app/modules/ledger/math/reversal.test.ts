import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { proportionalReversal } from "./reversal";

const abs = (value: bigint) => (value < 0n ? -value : value);

describe("proportionalReversal", () => {
  it("GIVEN an order refunded in steps THEN each step takes back its share and the last one the rest", () => {
    const order = { earned: 1_000n, eligibleMinor: 10_000n };
    expect(proportionalReversal({ ...order, alreadyReversed: 0n, refundedTotalMinor: 2_500n })).toBe(250n);
    expect(proportionalReversal({ ...order, alreadyReversed: 250n, refundedTotalMinor: 5_000n })).toBe(250n);
    expect(proportionalReversal({ ...order, alreadyReversed: 500n, refundedTotalMinor: 10_000n })).toBe(500n);
  });

  it("GIVEN shares that do not divide evenly THEN rounding does not drift across the steps", () => {
    // 1 centipoint over three equal refunds: 0.33 → 0, 0.67 → 1, 1 → 1.
    const order = { earned: 1n, eligibleMinor: 3n };
    expect(proportionalReversal({ ...order, alreadyReversed: 0n, refundedTotalMinor: 1n })).toBe(0n);
    expect(proportionalReversal({ ...order, alreadyReversed: 0n, refundedTotalMinor: 2n })).toBe(1n);
    expect(proportionalReversal({ ...order, alreadyReversed: 1n, refundedTotalMinor: 3n })).toBe(0n);
  });

  it("GIVEN an exact half centipoint THEN it rounds to even", () => {
    expect(proportionalReversal({ earned: 1n, alreadyReversed: 0n, refundedTotalMinor: 1n, eligibleMinor: 2n })).toBe(
      0n,
    );
    expect(proportionalReversal({ earned: 3n, alreadyReversed: 0n, refundedTotalMinor: 1n, eligibleMinor: 2n })).toBe(
      2n,
    );
  });

  it("GIVEN refunds above the eligible amount (shipping, tax) THEN no more than what is left is reversed", () => {
    expect(
      proportionalReversal({
        earned: 1_000n,
        alreadyReversed: 300n,
        refundedTotalMinor: 20_000n,
        eligibleMinor: 10_000n,
      }),
    ).toBe(700n);
  });

  it("GIVEN more already reversed than the share (a manual adjustment) THEN nothing more is reversed", () => {
    expect(
      proportionalReversal({
        earned: 1_000n,
        alreadyReversed: 600n,
        refundedTotalMinor: 5_000n,
        eligibleMinor: 10_000n,
      }),
    ).toBe(0n);
  });

  it("GIVEN an order that earned on nothing eligible THEN any refund reverses everything not yet reversed", () => {
    expect(
      proportionalReversal({ earned: 500n, alreadyReversed: 100n, refundedTotalMinor: 0n, eligibleMinor: 0n }),
    ).toBe(400n);
  });

  it.each([
    ["negative earned", { earned: -1n, alreadyReversed: 0n, refundedTotalMinor: 0n, eligibleMinor: 1n }],
    ["negative already reversed", { earned: 1n, alreadyReversed: -1n, refundedTotalMinor: 0n, eligibleMinor: 1n }],
    ["more reversed than earned", { earned: 1n, alreadyReversed: 2n, refundedTotalMinor: 0n, eligibleMinor: 1n }],
    ["a negative refund total", { earned: 1n, alreadyReversed: 0n, refundedTotalMinor: -1n, eligibleMinor: 1n }],
    ["a negative eligible amount", { earned: 1n, alreadyReversed: 0n, refundedTotalMinor: 0n, eligibleMinor: -1n }],
  ])("GIVEN %s THEN it throws a RangeError", (_name, input) => {
    expect(() => proportionalReversal(input)).toThrow(RangeError);
  });

  // Refund totals only grow, and the last one refunds everything eligible (or more).
  const refundSequence = fc
    .record({ earned: fc.bigInt({ min: 0n, max: 10n ** 12n }), eligibleMinor: fc.bigInt({ min: 1n, max: 10n ** 9n }) })
    .chain(({ earned, eligibleMinor }) =>
      fc
        .record({
          cuts: fc.array(fc.bigInt({ min: 0n, max: eligibleMinor }), { maxLength: 10 }),
          overshoot: fc.bigInt({ min: 0n, max: 1_000n }),
        })
        .map(({ cuts, overshoot }) => ({
          earned,
          eligibleMinor,
          totals: [...cuts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), eligibleMinor + overshoot],
        })),
    );

  it("GIVEN any sequence of partial refunds ending in a full refund THEN each step is ≥ 0 and they add up to exactly what was earned", () => {
    fc.assert(
      fc.property(refundSequence, ({ earned, eligibleMinor, totals }) => {
        let reversed = 0n;
        for (const refundedTotalMinor of totals) {
          const step = proportionalReversal({ earned, alreadyReversed: reversed, refundedTotalMinor, eligibleMinor });
          expect(step >= 0n).toBe(true);
          reversed += step;
          // The running total stays within half a centipoint of the exact refunded share.
          const refunded = refundedTotalMinor < eligibleMinor ? refundedTotalMinor : eligibleMinor;
          expect(2n * abs(reversed * eligibleMinor - earned * refunded) <= eligibleMinor).toBe(true);
        }
        expect(reversed).toBe(earned);
      }),
    );
  });

  it("GIVEN a cancellation at any point THEN exactly what is left is reversed", () => {
    const input = fc
      .record({
        earned: fc.bigInt({ min: 0n, max: 10n ** 12n }),
        eligibleMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }),
      })
      .chain(({ earned, eligibleMinor }) =>
        fc.record({
          earned: fc.constant(earned),
          eligibleMinor: fc.constant(eligibleMinor),
          alreadyReversed: fc.bigInt({ min: 0n, max: earned }),
        }),
      );
    fc.assert(
      fc.property(input, ({ earned, eligibleMinor, alreadyReversed }) => {
        return (
          proportionalReversal({ earned, alreadyReversed, refundedTotalMinor: eligibleMinor, eligibleMinor }) ===
          earned - alreadyReversed
        );
      }),
    );
  });

  it("GIVEN any inputs THEN the step is never negative and never more than what is left", () => {
    const input = fc
      .record({
        earned: fc.bigInt({ min: 0n, max: 10n ** 12n }),
        eligibleMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }),
        refundedTotalMinor: fc.bigInt({ min: 0n, max: 2n * 10n ** 9n }),
      })
      .chain((base) =>
        fc.bigInt({ min: 0n, max: base.earned }).map((alreadyReversed) => ({ ...base, alreadyReversed })),
      );
    fc.assert(
      fc.property(input, (args) => {
        const step = proportionalReversal(args);
        return step >= 0n && step <= args.earned - args.alreadyReversed;
      }),
    );
  });
});
