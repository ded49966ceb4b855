import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { currencyExponent, formatMoney, InvalidCurrencyError, parseMoney } from "./money";
import { InvalidAmountError } from "./points";

const ZERO_DECIMALS = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(" ");
const THREE_DECIMALS = "BHD IQD JOD KWD LYD OMR TND".split(" ");
const FOUR_DECIMALS = ["CLF", "UYW"];

describe("currencyExponent", () => {
  it.each(ZERO_DECIMALS)("GIVEN %s THEN it has no minor unit", (code) => {
    expect(currencyExponent(code)).toBe(0);
  });

  it.each(THREE_DECIMALS)("GIVEN %s THEN it has 3 decimals", (code) => {
    expect(currencyExponent(code)).toBe(3);
  });

  it.each(FOUR_DECIMALS)("GIVEN %s THEN it has 4 decimals", (code) => {
    expect(currencyExponent(code)).toBe(4);
  });

  it.each(["USD", "EUR", "GBP", "CAD", "XYZ"])("GIVEN %s THEN it has 2 decimals", (code) => {
    expect(currencyExponent(code)).toBe(2);
  });

  it.each(["usd", "US", "USDD", "", "U1D", " USD"])("GIVEN %j THEN it is not a currency code", (code) => {
    expect(() => currencyExponent(code)).toThrow(InvalidCurrencyError);
    expect(() => currencyExponent(code)).toThrow(/three uppercase letters/);
  });
});

describe("parseMoney", () => {
  it.each([
    ["12.50", "USD", 1250n],
    [12.5, "USD", 1250n],
    ["12", "USD", 1200n],
    ["-1.50", "USD", -150n],
    ["0.05", "EUR", 5n],
    ["1200", "JPY", 1200n],
    [1200, "JPY", 1200n],
    ["1200.0", "JPY", 1200n],
    ["12.500", "USD", 1250n],
    ["1.234", "KWD", 1234n],
    ["1.5", "KWD", 1500n],
    ["0.0001", "CLF", 1n],
  ] as const)("GIVEN %j %s THEN it is %s minor units", (amount, currency, expected) => {
    expect(parseMoney(amount, currency)).toBe(expected);
  });

  it.each([
    ["a cent fraction", "12.505", "USD", /more than 2 decimal places/],
    ["a yen fraction", "1200.5", "JPY", /more than 0 decimal places/],
    ["a fourth KWD decimal", "1.2345", "KWD", /more than 3 decimal places/],
    ["a float that is not a cent amount", 0.1 + 0.2, "USD", /more than 2 decimal places/],
    ["NaN", Number.NaN, "USD", /not a finite number/],
    ["exponent notation", "1e3", "USD", /not a plain decimal/],
    ["an empty string", "", "USD", /not a plain decimal/],
  ])("GIVEN %s THEN it is rejected", (_name, amount, currency, message) => {
    expect(() => parseMoney(amount, currency)).toThrow(InvalidAmountError);
    expect(() => parseMoney(amount, currency)).toThrow(message);
  });

  it("GIVEN an invalid currency THEN the currency is what is rejected", () => {
    expect(() => parseMoney("12.50", "usd")).toThrow(InvalidCurrencyError);
  });
});

describe("formatMoney", () => {
  it.each([
    [1250n, "USD", "12.50"],
    [1200n, "USD", "12.00"],
    [5n, "USD", "0.05"],
    [-5n, "USD", "-0.05"],
    [-150n, "USD", "-1.50"],
    [0n, "USD", "0.00"],
    [1200n, "JPY", "1200"],
    [-7n, "JPY", "-7"],
    [1500n, "KWD", "1.500"],
    [1n, "KWD", "0.001"],
    [12345n, "CLF", "1.2345"],
  ] as const)("GIVEN %s %s THEN it reads %j", (minor, currency, expected) => {
    expect(formatMoney(minor, currency)).toBe(expected);
  });

  it("GIVEN an invalid currency THEN it throws", () => {
    expect(() => formatMoney(1n, "Yen")).toThrow(InvalidCurrencyError);
  });
});

describe("money round trips", () => {
  const currency = fc.constantFrom("USD", "JPY", "KWD", "CLF", "EUR", "KRW", "BHD");
  const minor = fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n });

  it("GIVEN any amount in any currency WHEN formatted THEN it has exactly the currency's decimals and parses back", () => {
    fc.assert(
      fc.property(minor, currency, (amount, code) => {
        const text = formatMoney(amount, code);
        const exponent = currencyExponent(code);
        expect(text).toMatch(exponent === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${exponent}}$`));
        expect(parseMoney(text, code)).toBe(amount);
      }),
    );
  });

  it("GIVEN any amount WHEN written with extra trailing zeros THEN it parses to the same minor units", () => {
    fc.assert(
      fc.property(minor, currency, fc.integer({ min: 1, max: 3 }), (amount, code, zeros) => {
        const text = formatMoney(amount, code);
        const padded = `${text}${currencyExponent(code) === 0 ? "." : ""}${"0".repeat(zeros)}`;
        return parseMoney(padded, code) === amount;
      }),
    );
  });
});
