import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { divideRounded, ROUNDING_MODES, type RoundingMode } from "./rounding";

const abs = (value: bigint) => (value < 0n ? -value : value);
const numerator = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const denominator = fc.bigInt({ min: 1n, max: 10n ** 12n });
const mode = fc.constantFrom(...ROUNDING_MODES);

describe("divideRounded", () => {
  // Columns: numerator, denominator, then down, up, nearest, half_even.
  it.each([
    [7n, 2n, 3n, 4n, 4n, 4n],
    [5n, 2n, 2n, 3n, 3n, 2n],
    [-5n, 2n, -2n, -3n, -3n, -2n],
    [-7n, 2n, -3n, -4n, -4n, -4n],
    [7n, 3n, 2n, 3n, 2n, 2n],
    [-7n, 3n, -2n, -3n, -2n, -2n],
    [8n, 3n, 2n, 3n, 3n, 3n],
    [-8n, 3n, -2n, -3n, -3n, -3n],
    [1n, 2n, 0n, 1n, 1n, 0n],
    [-1n, 2n, 0n, -1n, -1n, 0n],
    [6n, 3n, 2n, 2n, 2n, 2n],
    [0n, 5n, 0n, 0n, 0n, 0n],
  ])("GIVEN %s / %s THEN down=%s up=%s nearest=%s half_even=%s", (n, d, down, up, nearest, halfEven) => {
    expect(divideRounded(n, d, "down")).toBe(down);
    expect(divideRounded(n, d, "up")).toBe(up);
    expect(divideRounded(n, d, "nearest")).toBe(nearest);
    expect(divideRounded(n, d, "half_even")).toBe(halfEven);
  });

  it.each([0n, -1n])("GIVEN denominator %s THEN it throws a RangeError", (d) => {
    expect(() => divideRounded(1n, d, "down")).toThrow(RangeError);
  });

  it("GIVEN an unknown mode (from stored settings) THEN it throws, even when the division is exact", () => {
    expect(() => divideRounded(1n, 2n, "floor" as RoundingMode)).toThrow(/Unknown rounding mode "floor"/);
    expect(() => divideRounded(4n, 2n, "floor" as RoundingMode)).toThrow(RangeError);
  });

  it("GIVEN any division and mode THEN the result is within one denominator of exact", () => {
    fc.assert(fc.property(numerator, denominator, mode, (n, d, m) => abs(n - divideRounded(n, d, m) * d) < d));
  });

  it("GIVEN any division THEN down is toward zero and up is away from zero, one apart unless exact", () => {
    fc.assert(
      fc.property(numerator, denominator, (n, d) => {
        const down = divideRounded(n, d, "down");
        const up = divideRounded(n, d, "up");
        // Toward zero: never larger in magnitude than exact, and never on the other side of zero.
        expect(abs(down * d) <= abs(n) && down * n >= 0n).toBe(true);
        expect(abs(up * d) >= abs(n) && up * n >= 0n).toBe(true);
        const exact = n % d === 0n;
        expect(abs(up - down)).toBe(exact ? 0n : 1n);
      }),
    );
  });

  it("GIVEN any division THEN nearest and half_even are within half a denominator", () => {
    fc.assert(
      fc.property(numerator, denominator, fc.constantFrom<RoundingMode>("nearest", "half_even"), (n, d, m) => {
        return 2n * abs(n - divideRounded(n, d, m) * d) <= d;
      }),
    );
  });

  it("GIVEN an exact tie THEN half_even picks the even neighbour and nearest goes away from zero", () => {
    const tie = fc
      .tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }))
      .map(([k, half]) => ({ n: (2n * k + 1n) * half, d: 2n * half }));
    fc.assert(
      fc.property(tie, ({ n, d }) => {
        const halfEven = divideRounded(n, d, "half_even");
        expect(halfEven % 2n).toBe(0n);
        expect(2n * abs(n - halfEven * d)).toBe(d);
        expect(divideRounded(n, d, "nearest")).toBe(divideRounded(n, d, "up"));
      }),
    );
  });

  it("GIVEN any division and mode THEN negating the numerator negates the result", () => {
    fc.assert(
      fc.property(numerator, denominator, mode, (n, d, m) => divideRounded(-n, d, m) === -divideRounded(n, d, m)),
    );
  });

  it("GIVEN any mode THEN the result never decreases as the numerator grows", () => {
    fc.assert(
      fc.property(numerator, numerator, denominator, mode, (a, b, d, m) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        return divideRounded(low, d, m) <= divideRounded(high, d, m);
      }),
    );
  });
});
