import { formatFixedDecimal, parseFixedDecimal } from "./points";

/**
 * Money is a bigint count of the currency's minor units (cents, yen, fils) next to its ISO 4217
 * code; the code decides how many decimals an amount may carry.
 */

export class InvalidCurrencyError extends Error {
  constructor(readonly currency: string) {
    super(`Invalid currency code ${JSON.stringify(currency)}: expected three uppercase letters (ISO 4217)`);
    this.name = "InvalidCurrencyError";
  }
}

const EXPONENTS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(
    [
      "BIF",
      "CLP",
      "DJF",
      "GNF",
      "ISK",
      "JPY",
      "KMF",
      "KRW",
      "PYG",
      "RWF",
      "UGX",
      "UYI",
      "VND",
      "VUV",
      "XAF",
      "XOF",
      "XPF",
    ].map((code) => [code, 0]),
  ),
  ...Object.fromEntries(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"].map((code) => [code, 3])),
  CLF: 4,
  UYW: 4,
};

/** The number of minor-unit digits ISO 4217 gives the currency (2 unless listed otherwise). */
export function currencyExponent(code: string): number {
  if (typeof code !== "string" || !/^[A-Z]{3}$/.test(code)) throw new InvalidCurrencyError(String(code));
  return EXPONENTS[code] ?? 2;
}

/** Parses an amount in whole currency units ("12.50", -1.5) into exact minor units of that currency. */
export function parseMoney(amount: string | number, currency: string): bigint {
  // Shopify writes decimals with a fixed ".0" even for yen ("1200.0"); zeros lose nothing, so only
  // nonzero digits beyond the currency's precision are refused.
  return parseFixedDecimal(amount, currencyExponent(currency), {
    allowTrailingZeros: true,
    label: `${currency} amount`,
  });
}

/** Writes minor units with exactly the currency's decimals: "12.50", "1200" for JPY, "1.500" for KWD. */
export function formatMoney(minor: bigint, currency: string): string {
  return formatFixedDecimal(minor, currencyExponent(currency), false);
}
