/**
 * Points are held as bigint centipoints so every balance is exact to 0.01 point; floats only appear
 * at the JSON edge, and only for values a double carries exactly.
 */

export type Centipoints = bigint;

/** One whole point in centipoints. */
export const POINT = 100n;

export class InvalidAmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidAmountError";
  }
}

// Up to 15 significant digits every decimal survives a trip through a double unchanged. Digits
// count from the first nonzero one to the units or the last nonzero decimal, so integer zeros
// count too ("1e20" written out is 21 digits): this also caps magnitudes below 10^15.
const MAX_SIGNIFICANT_DIGITS = 15;
const PLAIN_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export interface FixedDecimalOptions {
  /** Accept "12.500" at 2 decimals: the extra digits are zeros, so nothing is lost. */
  allowTrailingZeros?: boolean;
  /** Names the quantity in error messages. */
  label?: string;
}

/** Parses a plain decimal (string, or a number via its shortest round-trip form) into an integer scaled by 10^decimals. */
export function parseFixedDecimal(input: string | number, decimals: number, options: FixedDecimalOptions = {}): bigint {
  const label = options.label ?? "amount";
  let text: string;
  if (typeof input === "number") {
    if (!Number.isFinite(input))
      throw new InvalidAmountError(`Invalid ${label}: ${String(input)} is not a finite number`);
    // String(n) is the shortest decimal that reads back as n, so a float that is not really a
    // short decimal (0.1 + 0.2) shows all its digits and fails the decimals check below.
    text = String(input);
  } else if (typeof input === "string") {
    text = input;
  } else {
    // Input arrives from untyped JSON; the signature alone does not keep other types out.
    throw new InvalidAmountError(`Invalid ${label}: expected a number or a decimal string`);
  }
  const match = PLAIN_DECIMAL.exec(text);
  if (!match) {
    throw new InvalidAmountError(
      `Invalid ${label}: ${JSON.stringify(text)} is not a plain decimal number (digits, optional "-" and ".", no exponent)`,
    );
  }
  const [, sign = "", whole = "", rawFraction = ""] = match;
  let fraction = rawFraction;
  if (fraction.length > decimals) {
    const extra = fraction.slice(decimals);
    if (!options.allowTrailingZeros || /[^0]/.test(extra)) {
      throw new InvalidAmountError(
        `Invalid ${label}: ${JSON.stringify(text)} has more than ${decimals} decimal place${decimals === 1 ? "" : "s"}`,
      );
    }
    fraction = fraction.slice(0, decimals);
  }
  const significant = (whole + fraction.replace(/0+$/, "")).replace(/^0+/, "");
  if (significant.length > MAX_SIGNIFICANT_DIGITS) {
    throw new InvalidAmountError(
      `Invalid ${label}: ${JSON.stringify(text)} has more than ${MAX_SIGNIFICANT_DIGITS} significant digits`,
    );
  }
  const magnitude = BigInt(whole + fraction.padEnd(decimals, "0"));
  return sign === "-" ? -magnitude : magnitude;
}

/** Writes an integer scaled by 10^decimals as a decimal string, optionally without trailing fractional zeros. */
export function formatFixedDecimal(scaled: bigint, decimals: number, trimZeros: boolean): string {
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals);
  let fraction = digits.slice(digits.length - decimals);
  if (trimZeros) fraction = fraction.replace(/0+$/, "");
  const text = fraction.length > 0 ? `${whole}.${fraction}` : whole;
  return negative ? `-${text}` : text;
}

/** Parses points from JSON or a form (at most 2 decimals, at most 15 significant digits) into centipoints. */
export function parsePoints(input: string | number): Centipoints {
  return parseFixedDecimal(input, 2, { label: "points" });
}

/** Writes centipoints as the shortest exact decimal: "12", "12.5", "-0.5". */
export function formatPoints(centi: Centipoints): string {
  return formatFixedDecimal(centi, 2, true);
}

/** Centipoints as a JSON number whose shortest form is exactly formatPoints(centi); throws when a double cannot carry it. */
export function pointsToJsonNumber(centi: Centipoints): number {
  if (centi > BigInt(Number.MAX_SAFE_INTEGER) || centi < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${formatPoints(centi)} points is too large to send as a JSON number`);
  }
  const text = formatPoints(centi);
  const value = Number(text);
  // Near the safe-integer limit doubles are spaced more than 0.01 apart, so two-decimal values can
  // collide; refusing them beats sending a neighbouring amount.
  if (String(value) !== text) throw new RangeError(`${text} points cannot be represented exactly as a JSON number`);
  return value;
}
