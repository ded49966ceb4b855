import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  applyMultiplier,
  eligibleAmount,
  formatMultiplier,
  InvalidMultiplierError,
  MULTIPLIER_ONE,
  parseMultiplier,
  purchasePoints,
  type RoundTo,
} from "./earning";
import { currencyExponent, InvalidCurrencyError } from "./money";
import { ROUNDING_MODES, type RoundingMode } from "./rounding";

const mode = fc.constantFrom(...ROUNDING_MODES);
const roundTo = fc.constantFrom<RoundTo>("point", "centipoint");
const currency = fc.constantFrom("USD", "JPY", "KWD", "CLF");
const abs = (value: bigint) => (value < 0n ? -value : value);

describe("purchasePoints", () => {
  const usd = (eligibleMinor: bigint, rounding: RoundingMode, to?: RoundTo) =>
    purchasePoints({ eligibleMinor, currency: "USD", pointsPerUnit: 500n, rounding, roundTo: to });

  it("GIVEN 5 points per 1.00 on 12.99 rounded down THEN it earns 64 points", () => {
    expect(usd(1299n, "down")).toBe(6400n);
  });

  it.each([
    ["up", 6500n],
    ["nearest", 6500n],
    ["half_even", 6500n],
  ] as const)("GIVEN 64.95 points rounded %s THEN it earns %s centipoints", (rounding, expected) => {
    expect(usd(1299n, rounding)).toBe(expected);
  });

  it("GIVEN rounding to centipoints THEN the exact 64.95 points are kept", () => {
    expect(usd(1299n, "down", "centipoint")).toBe(6495n);
  });

  it("GIVEN exactly half a point THEN half_even goes to the even point and nearest away from zero", () => {
    // 0.50 at 5 points per 1.00 is 2.5 points; 0.70 is 3.5 points.
    expect(usd(50n, "half_even")).toBe(200n);
    expect(usd(50n, "nearest")).toBe(300n);
    expect(usd(70n, "half_even")).toBe(400n);
  });

  it("GIVEN yen, which have no minor unit THEN each yen is a whole currency unit", () => {
    expect(purchasePoints({ eligibleMinor: 1000n, currency: "JPY", pointsPerUnit: 100n, rounding: "down" })).toBe(
      100_000n,
    );
    // 1299 yen at 0.05 points per yen is 64.95 points.
    expect(purchasePoints({ eligibleMinor: 1299n, currency: "JPY", pointsPerUnit: 5n, rounding: "down" })).toBe(6400n);
  });

  it("GIVEN dinars with three decimals THEN 1.234 KWD at 10 points per KWD is 12.34 points", () => {
    const input = { eligibleMinor: 1234n, currency: "KWD", pointsPerUnit: 1000n, rounding: "down" as const };
    expect(purchasePoints(input)).toBe(1200n);
    expect(purchasePoints({ ...input, roundTo: "centipoint" })).toBe(1234n);
  });

  it.each([0n, -1n, -1299n])("GIVEN eligible %s THEN nothing is earned, whatever the rounding", (eligibleMinor) => {
    expect(usd(eligibleMinor, "up")).toBe(0n);
  });

  it("GIVEN a negative rate THEN it throws, and an invalid currency is refused", () => {
    expect(() =>
      purchasePoints({ eligibleMinor: 100n, currency: "USD", pointsPerUnit: -1n, rounding: "down" }),
    ).toThrow(RangeError);
    expect(() =>
      purchasePoints({ eligibleMinor: 0n, currency: "dollars", pointsPerUnit: 500n, rounding: "down" }),
    ).toThrow(InvalidCurrencyError);
  });

  it("GIVEN any order THEN more eligible money never earns fewer points", () => {
    const amount = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n });
    fc.assert(
      fc.property(
        amount,
        amount,
        currency,
        fc.bigInt({ min: 0n, max: 100_000n }),
        mode,
        roundTo,
        (a, b, code, rate, m, to) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const earn = (eligibleMinor: bigint) =>
            purchasePoints({ eligibleMinor, currency: code, pointsPerUnit: rate, rounding: m, roundTo: to });
          return earn(low) <= earn(high);
        },
      ),
    );
  });

  it("GIVEN any order THEN whole-point results are whole points within one point of exact, and centipoints within one centipoint", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        currency,
        fc.bigInt({ min: 0n, max: 100_000n }),
        mode,
        roundTo,
        (eligibleMinor, code, rate, m, to) => {
          const centi = purchasePoints({
            eligibleMinor,
            currency: code,
            pointsPerUnit: rate,
            rounding: m,
            roundTo: to,
          });
          const scale = 10n ** BigInt(currencyExponent(code));
          const unit = to === "point" ? 100n : 1n;
          expect(centi % unit).toBe(0n);
          expect(abs(centi * scale - eligibleMinor * rate)).toBeLessThan(unit * scale);
        },
      ),
    );
  });
});

describe("eligibleAmount", () => {
  const order = { subtotalMinor: 10_000n, shippingMinor: 500n, taxMinor: 800n, discountsMinor: 2_000n };

  it.each([
    [false, false, 8_000n],
    [true, false, 8_500n],
    [false, true, 8_800n],
    [true, true, 9_300n],
  ])("GIVEN shipping %s and tax %s THEN %s is eligible", (includeShipping, includeTax, expected) => {
    expect(eligibleAmount({ ...order, includeShipping, includeTax })).toBe(expected);
  });

  it("GIVEN discounts above everything counted THEN nothing is eligible rather than a negative amount", () => {
    expect(
      eligibleAmount({
        ...order,
        subtotalMinor: 1_000n,
        discountsMinor: 3_000n,
        includeShipping: true,
        includeTax: false,
      }),
    ).toBe(0n);
  });
});

describe("applyMultiplier", () => {
  it("GIVEN ×1.5 on 100 points THEN it is 150 points", () => {
    expect(applyMultiplier(10_000n, 15_000n, "down")).toBe(15_000n);
  });

  it.each([
    ["down", "point", 100n],
    ["up", "point", 200n],
    ["nearest", "point", 100n],
    ["half_even", "point", 100n],
    ["down", "centipoint", 125n],
  ] as const)("GIVEN ×1.25 on 1 point rounded %s to the %s THEN it is %s centipoints", (rounding, to, expected) => {
    expect(applyMultiplier(100n, 12_500n, rounding, to)).toBe(expected);
  });

  it("GIVEN no roundTo THEN it rounds to whole points", () => {
    expect(applyMultiplier(6_495n, MULTIPLIER_ONE, "down")).toBe(6_400n);
  });

  it("GIVEN a negative multiplier THEN it throws", () => {
    expect(() => applyMultiplier(100n, -1n, "down")).toThrow(RangeError);
  });

  it("GIVEN ×1 to the centipoint THEN any amount is unchanged", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), mode, (base, m) => {
        return applyMultiplier(base, MULTIPLIER_ONE, m, "centipoint") === base;
      }),
    );
  });

  it("GIVEN any multiplier THEN a larger base never gives a smaller result", () => {
    const base = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });
    fc.assert(
      fc.property(base, base, fc.bigInt({ min: 0n, max: 1_000_000n }), mode, roundTo, (a, b, bp, m, to) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return applyMultiplier(low, bp, m, to) <= applyMultiplier(high, bp, m, to);
      }),
    );
  });
});

describe("parseMultiplier", () => {
  it.each([
    ["1.5", 15_000n],
    [1.5, 15_000n],
    ["1", 10_000n],
    [2.25, 22_500n],
    ["0.0001", 1n],
    ["100", 1_000_000n],
    [100, 1_000_000n],
  ] as const)("GIVEN %j THEN it is %s basis points", (input, expected) => {
    expect(parseMultiplier(input)).toBe(expected);
  });

  it.each([
    ["zero", "0", /above 0/],
    ["a negative", "-1", /above 0/],
    ["above 100", "100.0001", /at most 100/],
    ["five decimals", "1.00001", /more than 4 decimal places/],
    ["NaN", Number.NaN, /not a finite number/],
    ["text", "double", /not a plain decimal/],
  ])("GIVEN %s THEN it is rejected", (_name, input, message) => {
    expect(() => parseMultiplier(input)).toThrow(InvalidMultiplierError);
    expect(() => parseMultiplier(input)).toThrow(message);
  });
});

describe("formatMultiplier", () => {
  it.each([
    [15_000n, 1.5],
    [10_000n, 1],
    [1n, 0.0001],
    [1_000_000n, 100],
    [12_345n, 1.2345],
  ])("GIVEN %s basis points THEN the JSON number is %d", (bp, expected) => {
    expect(formatMultiplier(bp)).toBe(expected);
  });

  it("GIVEN any valid multiplier THEN formatting and parsing give it back", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1_000_000n }), (bp) => parseMultiplier(formatMultiplier(bp)) === bp),
    );
  });
});
