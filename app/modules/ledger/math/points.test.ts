import fc from "fast-check";
import { describe, expect, it } from "vitest";

import {
  formatFixedDecimal,
  formatPoints,
  InvalidAmountError,
  parseFixedDecimal,
  parsePoints,
  POINT,
  pointsToJsonNumber,
} from "./points";

// Every value below 10^15 centipoints has at most 15 significant digits, so parsePoints accepts it.
const WIDE = 10n ** 15n - 1n;
const centipoints = fc.bigInt({ min: -WIDE, max: WIDE });
// Below 2^46 points doubles are spaced less than 0.01 apart, so every two-decimal value is exact.
const JSON_EXACT = 2n ** 46n * 100n - 1n;

describe("parsePoints", () => {
  it.each([
    ["12", 1200n],
    ["12.5", 1250n],
    ["12.34", 1234n],
    ["-3.5", -350n],
    ["0", 0n],
    ["-0", 0n],
    ["0.01", 1n],
    ["007.10", 710n],
    ["999999999999999", 99999999999999900n],
    [12.34, 1234n],
    [0.5, 50n],
    [-0.01, -1n],
  ] as const)("GIVEN %j THEN it is %s centipoints", (input, expected) => {
    expect(parsePoints(input)).toBe(expected);
  });

  it.each([
    ["NaN", Number.NaN, /not a finite number/],
    ["Infinity", Number.POSITIVE_INFINITY, /not a finite number/],
    ["-Infinity", Number.NEGATIVE_INFINITY, /not a finite number/],
    ["an exponent string", "1e3", /not a plain decimal/],
    ["a number JavaScript writes with an exponent", 1e21, /not a plain decimal/],
    ["a tiny number JavaScript writes with an exponent", 1e-7, /not a plain decimal/],
    ["three decimals", "1.001", /more than 2 decimal places/],
    ["a float that is not a two-decimal value", 0.1 + 0.2, /more than 2 decimal places/],
    ["an empty string", "", /not a plain decimal/],
    ["surrounding whitespace", " 12", /not a plain decimal/],
    ["a trailing dot", "12.", /not a plain decimal/],
    ["a leading dot", ".5", /not a plain decimal/],
    ["a plus sign", "+1", /not a plain decimal/],
    ["a decimal comma", "1,5", /not a plain decimal/],
    ["16 significant digits", "1234567890123456", /more than 15 significant digits/],
    ["16 significant digits across the dot", "123456789012345.1", /more than 15 significant digits/],
    ["16 significant digits as a number", 1234567890123456, /more than 15 significant digits/],
    ["16 integer digits even when they are zeros", 1e15, /more than 15 significant digits/],
  ])("GIVEN %s THEN it is rejected with a clear InvalidAmountError", (_name, input, message) => {
    expect(() => parsePoints(input)).toThrow(InvalidAmountError);
    expect(() => parsePoints(input)).toThrow(message);
  });

  it("GIVEN a value that is neither string nor number (untyped JSON) THEN it is rejected", () => {
    expect(() => parsePoints(null as unknown as string)).toThrow(InvalidAmountError);
    expect(() => parsePoints(12n as unknown as string)).toThrow(InvalidAmountError);
  });

  it("GIVEN any centipoint value WHEN formatted and parsed back THEN the value is unchanged", () => {
    fc.assert(fc.property(centipoints, (centi) => parsePoints(formatPoints(centi)) === centi));
  });

  it("GIVEN any centipoint value written with both decimals WHEN parsed THEN it is the same value", () => {
    fc.assert(fc.property(centipoints, (centi) => parsePoints(formatFixedDecimal(centi, 2, false)) === centi));
  });

  it("GIVEN any accepted decimal string WHEN parsed and formatted THEN the canonical form is returned", () => {
    const decimalText = fc
      .tuple(fc.boolean(), fc.stringMatching(/^\d{1,13}$/), fc.stringMatching(/^\d{0,2}$/))
      .map(([negative, whole, fraction]) => `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`);
    fc.assert(
      fc.property(decimalText, (text) => {
        const formatted = formatPoints(parsePoints(text));
        expect(formatted).toMatch(/^-?(0|[1-9]\d*)(\.\d?[1-9])?$/);
        expect(Number(formatted)).toBe(Number(text) === 0 ? 0 : Number(text));
        expect(parsePoints(formatted)).toBe(parsePoints(text));
      }),
    );
  });
});

describe("formatPoints", () => {
  it.each([
    [1200n, "12"],
    [1250n, "12.5"],
    [1234n, "12.34"],
    [1205n, "12.05"],
    [-50n, "-0.5"],
    [-1n, "-0.01"],
    [-100n, "-1"],
    [5n, "0.05"],
    [0n, "0"],
    [123456789012345678901n, "1234567890123456789.01"],
  ])("GIVEN %s centipoints THEN it reads %j", (centi, expected) => {
    expect(formatPoints(centi)).toBe(expected);
  });

  it("GIVEN POINT THEN it is one point", () => {
    expect(formatPoints(POINT)).toBe("1");
  });
});

describe("pointsToJsonNumber", () => {
  it.each([
    [1234n, 12.34],
    [-50n, -0.5],
    [1200n, 12],
    [0n, 0],
  ])("GIVEN %s centipoints THEN the JSON number is %d", (centi, expected) => {
    expect(pointsToJsonNumber(centi)).toBe(expected);
  });

  it("GIVEN more than MAX_SAFE_INTEGER centipoints in either direction THEN it refuses", () => {
    const over = BigInt(Number.MAX_SAFE_INTEGER) + 1n;
    expect(() => pointsToJsonNumber(over)).toThrow(RangeError);
    expect(() => pointsToJsonNumber(-over)).toThrow(RangeError);
  });

  it("GIVEN a safe integer of centipoints whose two decimals a double cannot hold THEN it refuses rather than send a neighbour", () => {
    // 90071992547409.91 reads back from a double as 90071992547409.9.
    expect(() => pointsToJsonNumber(9007199254740991n)).toThrow(/cannot be represented exactly/);
  });

  it("GIVEN any value below 2^46 points THEN the number's JSON form is exactly formatPoints", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -JSON_EXACT, max: JSON_EXACT }), (centi) => {
        expect(JSON.stringify(pointsToJsonNumber(centi))).toBe(formatPoints(centi));
      }),
    );
  });

  it("GIVEN any value parsePoints accepts THEN its JSON number parses back to the same centipoints", () => {
    fc.assert(fc.property(centipoints, (centi) => parsePoints(pointsToJsonNumber(centi)) === centi));
  });

  it("GIVEN any safe-integer value THEN it either returns an exact number or throws a RangeError", () => {
    const safe = BigInt(Number.MAX_SAFE_INTEGER);
    fc.assert(
      fc.property(fc.bigInt({ min: -safe, max: safe }), (centi) => {
        try {
          expect(String(pointsToJsonNumber(centi))).toBe(formatPoints(centi));
        } catch (error) {
          expect(error).toBeInstanceOf(RangeError);
        }
      }),
    );
  });
});

describe("parseFixedDecimal", () => {
  it("GIVEN trailing zeros beyond the scale WHEN they are allowed THEN they are dropped, and nonzero digits are not", () => {
    expect(parseFixedDecimal("12.500", 2, { allowTrailingZeros: true })).toBe(1250n);
    expect(parseFixedDecimal("1200.0", 0, { allowTrailingZeros: true })).toBe(1200n);
    expect(() => parseFixedDecimal("12.501", 2, { allowTrailingZeros: true })).toThrow(InvalidAmountError);
    expect(() => parseFixedDecimal("12.500", 2)).toThrow(InvalidAmountError);
  });

  it("GIVEN a label THEN the error names it", () => {
    expect(() => parseFixedDecimal("x", 2, { label: "bonus" })).toThrow(/Invalid bonus/);
  });
});
