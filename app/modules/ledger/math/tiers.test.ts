import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { evaluateTier, tierMove, type TierThreshold } from "./tiers";

const bronze = { id: "bronze", threshold: 0n, name: "Bronze" };
const silver = { id: "silver", threshold: 1_000n, name: "Silver" };
const gold = { id: "gold", threshold: 5_000n, name: "Gold" };
const program = [gold, bronze, silver];

const tiers = fc.uniqueArray(
  fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), threshold: fc.bigInt({ min: -100n, max: 10_000n }) }),
  { selector: (tier) => tier.id, maxLength: 6 },
);
const standing = fc.bigInt({ min: -1_000n, max: 12_000n });
const thresholdOf = (tier: TierThreshold | null) => tier?.threshold ?? null;

describe("evaluateTier", () => {
  it.each([
    [0n, "bronze"],
    [999n, "bronze"],
    [1_000n, "silver"],
    [4_999n, "silver"],
    [5_000n, "gold"],
    [1_000_000n, "gold"],
  ])("GIVEN a standing of %s THEN the tier is %s", (value, expected) => {
    expect(evaluateTier(program, value)?.id).toBe(expected);
  });

  it("GIVEN a standing below every threshold THEN there is no tier", () => {
    expect(evaluateTier(program, -1n)).toBeNull();
    expect(evaluateTier([silver, gold], 999n)).toBeNull();
    expect(evaluateTier([], 10n)).toBeNull();
  });

  it("GIVEN two tiers on one threshold THEN the lowest id wins whatever their order", () => {
    const a = { id: "a", threshold: 1_000n };
    const b = { id: "b", threshold: 1_000n };
    expect(evaluateTier([b, a], 2_000n)).toBe(a);
    expect(evaluateTier([a, b], 2_000n)).toBe(a);
  });

  it("GIVEN the caller's tier records THEN the record itself is returned", () => {
    expect(evaluateTier(program, 1_500n)?.name).toBe("Silver");
  });

  it("GIVEN any tiers THEN a higher standing never gives a lower tier", () => {
    fc.assert(
      fc.property(tiers, standing, standing, (list, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return tierMove(thresholdOf(evaluateTier(list, low)), thresholdOf(evaluateTier(list, high))) !== "downgrade";
      }),
    );
  });

  it("GIVEN any tiers THEN the result qualifies, no qualifying tier is higher, and order does not matter", () => {
    fc.assert(
      fc.property(tiers, standing, (list, value) => {
        const tier = evaluateTier(list, value);
        const qualifying = list.filter((t) => t.threshold <= value);
        if (tier === null) {
          expect(qualifying).toEqual([]);
          return;
        }
        expect(tier.threshold <= value).toBe(true);
        expect(
          qualifying.every((t) => t.threshold < tier.threshold || (t.threshold === tier.threshold && t.id >= tier.id)),
        ).toBe(true);
        expect(evaluateTier([...list].reverse(), value)).toBe(tier);
      }),
    );
  });
});

describe("tierMove", () => {
  it.each([
    [null, 100n, "upgrade"],
    [100n, null, "downgrade"],
    [null, null, "none"],
    [100n, 100n, "none"],
    [100n, 200n, "upgrade"],
    [200n, 100n, "downgrade"],
    [0n, null, "downgrade"],
    [null, 0n, "upgrade"],
    [-50n, 0n, "upgrade"],
  ] as const)("GIVEN from %s to %s THEN it is %s", (from, to, expected) => {
    expect(tierMove(from, to)).toBe(expected);
  });

  it("GIVEN any two thresholds THEN moving back is the opposite move", () => {
    const threshold = fc.option(fc.bigInt({ min: -100n, max: 100n }), { nil: null });
    const opposite = { upgrade: "downgrade", downgrade: "upgrade", none: "none" } as const;
    fc.assert(fc.property(threshold, threshold, (a, b) => tierMove(b, a) === opposite[tierMove(a, b)]));
  });
});
